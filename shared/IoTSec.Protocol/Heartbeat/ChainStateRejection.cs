namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>Why a persisted <see cref="HeartbeatChainVerifier"/> state was refused.</summary>
    public enum ChainStateRejection
    {
        /// <summary>Not deterministic CBOR of the expected shape.</summary>
        Malformed = 1,

        /// <summary>Longer than <see cref="HeartbeatChainVerifier.MaxStateLength"/>.</summary>
        TooLarge = 2,

        /// <summary>The state's version (key 1) is not one this library reads.</summary>
        UnknownVersion = 3,

        /// <summary>A required field is absent.</summary>
        FieldMissing = 4,

        /// <summary>A field is out of range: capacity not 1-64, more entries than the capacity, sequences not increasing, a link not 32 bytes.</summary>
        FieldInvalid = 5,

        /// <summary>A key the state format does not define.</summary>
        UnknownField = 6,
    }
}
