namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>A heartbeat whose MAC verified, with its fields and its chain link.</summary>
    public sealed class VerifiedHeartbeat
    {
        private readonly byte[] _link;

        /// <summary>Creates the result.</summary>
        /// <param name="fields">The decoded fields.</param>
        /// <param name="link">The heartbeat's chain link (32 bytes); not copied.</param>
        public VerifiedHeartbeat(HeartbeatFields fields, byte[] link)
        {
            if (fields == null)
            {
                throw new System.ArgumentNullException("fields");
            }

            if (link == null || link.Length != HeartbeatFormat.DigestLength)
            {
                throw new System.ArgumentException("a chain link is 32 bytes", "link");
            }

            Fields = fields;
            _link = link;
        }

        /// <summary>The decoded fields.</summary>
        public HeartbeatFields Fields { get; }

        /// <summary>The heartbeat's chain link (SHA-256 of its encoding): the next heartbeat's previous digest, and what an acknowledgement names.</summary>
        /// <returns>A copy of the 32 bytes.</returns>
        public byte[] GetLink()
        {
            return (byte[])_link.Clone();
        }
    }
}
