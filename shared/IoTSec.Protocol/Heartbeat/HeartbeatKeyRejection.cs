namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>Why a heartbeat key response was refused by the device.</summary>
    public enum HeartbeatKeyRejection
    {
        /// <summary>Not a deterministic CBOR map.</summary>
        Malformed = 1,

        /// <summary>Longer than <see cref="HeartbeatKeyResponse.MaxEncodedLength"/>.</summary>
        TooLarge = 2,

        /// <summary>A required field is absent.</summary>
        FieldMissing = 3,

        /// <summary>A field has the wrong type, size or range (a key not 32 bytes or all zero, a serial not a positive minimal DER INTEGER of 1-20 octets, ...).</summary>
        FieldInvalid = 4,

        /// <summary>A key the response format does not define.</summary>
        UnknownField = 5,

        /// <summary>The key id is not the first 8 bytes of SHA-256 of the key: the response was corrupted or assembled wrongly.</summary>
        KeyIdMismatch = 6,

        /// <summary>The serial is not the one of the certificate the device presented: the key belongs to another epoch.</summary>
        SerialMismatch = 7,
    }
}
