using System;

namespace IoTSec.Firmware.Platform
{
    /// <summary>A network operation failed: unreachable, refused, timed out, or a TLS handshake or certificate failure.</summary>
    public class NetworkException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What failed.</param>
        public NetworkException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception around the platform's own error.</summary>
        /// <param name="message">What failed.</param>
        /// <param name="innerException">The platform's exception.</param>
        public NetworkException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
