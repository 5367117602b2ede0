namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>
    /// Why a heartbeat was refused. The checks run in this order: size, envelope, MAC, then
    /// the body; so every reason from <see cref="UnknownVersion"/> on, met by
    /// <see cref="HeartbeatDecoder.Decode(byte[], byte[])"/>, concerns a heartbeat that carried
    /// a valid MAC: the key holder itself sent it (a firmware bug, or a compromised device),
    /// not the network.
    /// </summary>
    public enum HeartbeatRejection
    {
        /// <summary>Not the envelope <c>[bstr, bstr .size 32]</c> in deterministic CBOR, or a body that is not a deterministic CBOR map.</summary>
        Malformed = 1,

        /// <summary>Longer than <see cref="HeartbeatFormat.MaxEncodedLength"/>; refused before parsing.</summary>
        TooLarge = 2,

        /// <summary>The MAC does not verify under the device's heartbeat key (forged, corrupted, or made under another key epoch).</summary>
        BadMac = 3,

        /// <summary>The body's version (key 1) is not <see cref="HeartbeatFormat.Version"/>.</summary>
        UnknownVersion = 4,

        /// <summary>A required field is absent (every field of version 1 is required).</summary>
        FieldMissing = 5,

        /// <summary>A field has the wrong type, size or range (a digest not 32 bytes, a slot not 0 or 1, an invalid device id, ...).</summary>
        FieldInvalid = 6,

        /// <summary>The body holds a key version 1 does not define.</summary>
        UnknownField = 7,

        /// <summary>The body names another device than the one expected (the topic's, the certificate's).</summary>
        DeviceIdMismatch = 8,
    }
}
