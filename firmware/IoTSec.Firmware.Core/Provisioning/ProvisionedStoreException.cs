using System;

namespace IoTSec.Firmware.Provisioning
{
    /// <summary>
    /// The provisioning store cannot load or change the committed identity; <see cref="Reason"/>
    /// says why. Through the console it is answered with InternalError (the session keeps the
    /// message for the device's log).
    /// </summary>
    public class ProvisionedStoreException : Exception
    {
        /// <summary>Creates the exception.</summary>
        /// <param name="reason">Why.</param>
        /// <param name="message">What failed, naming the record or item (never its contents).</param>
        public ProvisionedStoreException(ProvisionedStoreError reason, string message)
            : base(message)
        {
            Reason = reason;
        }

        /// <summary>Creates the exception around the decoder's own error.</summary>
        /// <param name="reason">Why.</param>
        /// <param name="message">What failed, naming the record or item.</param>
        /// <param name="innerException">The decoder's exception.</param>
        public ProvisionedStoreException(ProvisionedStoreError reason, string message, Exception innerException)
            : base(message, innerException)
        {
            Reason = reason;
        }

        /// <summary>Why the store refused.</summary>
        public ProvisionedStoreError Reason { get; private set; }
    }
}
