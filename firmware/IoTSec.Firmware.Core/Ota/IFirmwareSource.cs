namespace IoTSec.Firmware.Ota
{
    /// <summary>
    /// Where an update's bytes come from: the gateway's OTA endpoint over HTTPS with the
    /// device's operational certificate, read in ranges so that a cut download resumes where
    /// it stopped (the core's HTTP/1.1 client with a Range header implements it).
    /// </summary>
    public interface IFirmwareSource
    {
        /// <summary>
        /// Reads bytes of <paramref name="resource"/> starting at <paramref name="position"/>.
        /// </summary>
        /// <param name="resource">The path the OTA offer names (for example "/ota/releases/R/app.bundle").</param>
        /// <param name="position">First byte wanted.</param>
        /// <param name="buffer">Receives the bytes.</param>
        /// <param name="offset">Index of the first byte in <paramref name="buffer"/>.</param>
        /// <param name="count">Bytes wanted (the chunk size).</param>
        /// <returns>Bytes read: at least 1, fewer than asked only at the end; 0 when <paramref name="position"/> is the end.</returns>
        /// <exception cref="Platform.NetworkException">The transfer failed; the caller retries from the same position later.</exception>
        int ReadRange(string resource, long position, byte[] buffer, int offset, int count);
    }
}
