namespace IoTSec.Protocol.Console
{
    /// <summary>
    /// Carries out one console command on the device (the firmware's provisioning logic).
    /// The <see cref="ConsoleServerSession"/> calls it at most once per request, however
    /// often the request is retransmitted.
    /// </summary>
    public interface IConsoleCommandHandler
    {
        /// <summary>Carries out a command.</summary>
        /// <param name="command">The command code (see <see cref="ConsoleCommand"/>; unknown codes are answered with <see cref="ConsoleStatus.UnknownCommand"/>).</param>
        /// <param name="payload">The request payload (never null; possibly empty).</param>
        /// <param name="response">The result payload when the status is <see cref="ConsoleStatus.Ok"/>, otherwise optional diagnostic bytes; at most <see cref="ConsoleFrame.MaxPayloadLength"/> bytes.</param>
        /// <returns>The status code (see <see cref="ConsoleStatus"/>).</returns>
        byte Handle(byte command, byte[] payload, out byte[] response);
    }
}
