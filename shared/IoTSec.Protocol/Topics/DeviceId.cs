namespace IoTSec.Protocol.Topics
{
    /// <summary>
    /// The rule every device id in IoTSec obeys: 1 to 64 characters from
    /// <c>[A-Za-z0-9._-]</c>, the first one a letter or digit. Topics, heartbeats and the
    /// heartbeat key derivation all check it.
    /// </summary>
    /// <remarks>
    /// Why this narrow: the id is spliced into MQTT topic names (where '+', '#' and '/' are
    /// wildcards or level separators and NUL is forbidden, MQTT 3.1.1 §4.7), into file names
    /// and log lines on the gateway, and into command lines of tools. The charset keeps all of
    /// those safe by construction. The first character may not be '.' (no "." or ".." path
    /// segments, no hidden files) nor '-' (never mistaken for a command-line option). Ids are
    /// case-sensitive, as MQTT topics are. Being ASCII, an id's UTF-8 form is its characters'
    /// codes, which lets the nanoFramework build (no System.Text.Encoding) convert it.
    /// </remarks>
    public static class DeviceId
    {
        /// <summary>Longest device id, in characters (and bytes).</summary>
        public const int MaxLength = 64;

        /// <summary>True when <paramref name="deviceId"/> obeys the rule.</summary>
        /// <param name="deviceId">The candidate (null is invalid).</param>
        /// <returns>True when valid.</returns>
        public static bool IsValid(string deviceId)
        {
            if (deviceId == null || deviceId.Length == 0 || deviceId.Length > MaxLength)
            {
                return false;
            }

            for (int i = 0; i < deviceId.Length; i++)
            {
                char c = deviceId[i];
                bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
                if (alnum)
                {
                    continue;
                }

                if (i > 0 && (c == '.' || c == '_' || c == '-'))
                {
                    continue;
                }

                return false;
            }

            return true;
        }

        /// <summary>Throws unless <paramref name="deviceId"/> obeys the rule.</summary>
        /// <param name="deviceId">The candidate.</param>
        /// <exception cref="TopicRejectedException"><see cref="TopicRejection.InvalidDeviceId"/>.</exception>
        public static void Validate(string deviceId)
        {
            if (!IsValid(deviceId))
            {
                throw new TopicRejectedException(TopicRejection.InvalidDeviceId, "device id " + Describe(deviceId) + " is not 1-64 characters of [A-Za-z0-9._-] starting with a letter or digit");
            }
        }

        /// <summary>The id's UTF-8 (here: ASCII) bytes.</summary>
        /// <param name="deviceId">A valid device id.</param>
        /// <returns>A new array, one byte per character.</returns>
        /// <exception cref="TopicRejectedException"><see cref="TopicRejection.InvalidDeviceId"/>.</exception>
        public static byte[] ToUtf8(string deviceId)
        {
            Validate(deviceId);
            var bytes = new byte[deviceId.Length];
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)deviceId[i];
            }

            return bytes;
        }

        /// <summary>A short, log-safe rendering of untrusted text: quoted, non-printable characters replaced, cut at 80.</summary>
        internal static string Describe(string value)
        {
            if (value == null)
            {
                return "(null)";
            }

            int shown = value.Length > 80 ? 80 : value.Length;
            var chars = new char[shown];
            for (int i = 0; i < shown; i++)
            {
                char c = value[i];
                chars[i] = c >= ' ' && c <= '~' ? c : '?';
            }

            return "\"" + new string(chars) + "\"" + (value.Length > shown ? "..." : string.Empty) + " (" + value.Length.ToString() + " chars)";
        }
    }
}
