namespace IoTSec.Protocol.Console
{
    /// <summary>
    /// Human-readable names for console codes, for exception messages and logs. Written out
    /// rather than taken from Enum.ToString because the nanoFramework runtime does not keep
    /// enum member names.
    /// </summary>
    public static class ConsoleNames
    {
        /// <summary>Names a command code, e.g. "Commit (0x30)".</summary>
        /// <param name="command">The command code.</param>
        /// <returns>The name and the hexadecimal code.</returns>
        public static string Command(byte command)
        {
            string name;
            switch ((ConsoleCommand)command)
            {
                case ConsoleCommand.Hello: name = "Hello"; break;
                case ConsoleCommand.Info: name = "Info"; break;
                case ConsoleCommand.WriteBirthCertificate: name = "WriteBirthCertificate"; break;
                case ConsoleCommand.WriteBirthKey: name = "WriteBirthKey"; break;
                case ConsoleCommand.WriteTrustAnchors: name = "WriteTrustAnchors"; break;
                case ConsoleCommand.WriteConfiguration: name = "WriteConfiguration"; break;
                case ConsoleCommand.ReadBack: name = "ReadBack"; break;
                case ConsoleCommand.Commit: name = "Commit"; break;
                case ConsoleCommand.Lock: name = "Lock"; break;
                case ConsoleCommand.FactoryReset: name = "FactoryReset"; break;
                default: name = "command"; break;
            }

            return name + " (" + Hex(command) + ")";
        }

        /// <summary>Names a status code, e.g. "Locked (0x03)".</summary>
        /// <param name="status">The status code.</param>
        /// <returns>The name and the hexadecimal code.</returns>
        public static string Status(byte status)
        {
            string name;
            switch ((ConsoleStatus)status)
            {
                case ConsoleStatus.Ok: name = "Ok"; break;
                case ConsoleStatus.UnknownCommand: name = "UnknownCommand"; break;
                case ConsoleStatus.BadPayload: name = "BadPayload"; break;
                case ConsoleStatus.Locked: name = "Locked"; break;
                case ConsoleStatus.NotStaged: name = "NotStaged"; break;
                case ConsoleStatus.InternalError: name = "InternalError"; break;
                case ConsoleStatus.StaleSequence: name = "StaleSequence"; break;
                default: name = "status"; break;
            }

            return name + " (" + Hex(status) + ")";
        }

        /// <summary>Formats a byte as 0xNN.</summary>
        /// <param name="value">The byte.</param>
        /// <returns>"0x" and two upper-case hexadecimal digits.</returns>
        public static string Hex(byte value)
        {
            const string Digits = "0123456789ABCDEF";
            return "0x" + Digits[value >> 4] + Digits[value & 0xF];
        }
    }
}
