using System;

namespace IoTSec.Firmware.Platform
{
    /// <summary>A storage operation failed: medium error, medium full, or a bad file name.</summary>
    public class FlashException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="message">What failed, naming the file.</param>
        public FlashException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception around the platform's own error.</summary>
        /// <param name="message">What failed, naming the file.</param>
        /// <param name="innerException">The platform's exception.</param>
        public FlashException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
