namespace IoTSec.Firmware.Platform
{
    /// <summary>
    /// The device's diagnostic log (the debug UART on hardware, the test output on the desktop).
    /// Never pass it a key, a MAC or a certificate's private part.
    /// </summary>
    public interface IDeviceLog
    {
        /// <summary>Writes one line.</summary>
        /// <param name="message">The line.</param>
        void Write(string message);
    }
}
