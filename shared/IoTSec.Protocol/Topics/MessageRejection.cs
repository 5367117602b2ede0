namespace IoTSec.Protocol.Topics
{
    /// <summary>Why a message on a device topic (acknowledgement, command, command result, OTA offer) was refused.</summary>
    public enum MessageRejection
    {
        /// <summary>Not the expected deterministic CBOR: for MAC'd messages not <c>[bstr, bstr .size 32]</c>, or a body that is not a map.</summary>
        Malformed = 1,

        /// <summary>Longer than the message type's limit; refused before parsing.</summary>
        TooLarge = 2,

        /// <summary>The MAC does not verify under the device's heartbeat key: not from the gateway, or corrupted, or under another key epoch.</summary>
        BadMac = 3,

        /// <summary>A required field is absent.</summary>
        FieldMissing = 4,

        /// <summary>A field has the wrong type, size or range.</summary>
        FieldInvalid = 5,

        /// <summary>A key the message type does not define.</summary>
        UnknownField = 6,
    }
}
