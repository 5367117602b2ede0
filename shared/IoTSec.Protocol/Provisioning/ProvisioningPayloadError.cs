namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// Why a provisioning payload was refused. One value per cause, because the reason
    /// reaches the technician's screen, the device's log and the refusal's diagnostic
    /// (field 2), where it is a wire value: never renumber.
    /// </summary>
    public enum ProvisioningPayloadError : byte
    {
        /// <summary>No payload error (a refusal for another cause).</summary>
        None = 0,

        /// <summary>Not well-formed CBOR, or not in the deterministic encoding of RFC 8949 §4.2.1 (shortest heads, sorted keys, no duplicates), or bytes after the item.</summary>
        Malformed = 1,

        /// <summary>An item has the wrong CBOR type (a map expected and an array found, a text key, ...).</summary>
        WrongType = 2,

        /// <summary>A required map key is absent.</summary>
        MissingField = 3,

        /// <summary>A request map holds a key this version does not define (requests are strict: a setting the device would ignore must not look applied).</summary>
        UnknownField = 4,

        /// <summary>An integer, a length or a count is outside its range.</summary>
        OutOfRange = 5,

        /// <summary>A text field holds characters outside its character set (identifier, device class, host name).</summary>
        InvalidText = 6,

        /// <summary>A command without arguments carried a payload.</summary>
        UnexpectedPayload = 7,

        /// <summary>A certificate or key is not one DER SEQUENCE spanning exactly its bytes (PEM or BER sent by mistake).</summary>
        NotDer = 8,

        /// <summary>A write declares a total length above the item's limit.</summary>
        ItemTooLarge = 9,

        /// <summary>A chunk's offset is not the number of bytes received so far for that item: a gap, an overlap, a chunk out of order, or a chunk of another item while one is in progress.</summary>
        ChunkOutOfOrder = 10,

        /// <summary>A chunk reaches past the total length it declares.</summary>
        ChunkBeyondTotal = 11,

        /// <summary>A chunk declares another total length than the transfer's first chunk did.</summary>
        TotalLengthChanged = 12,

        /// <summary>A trust anchor's kind is not one this version defines.</summary>
        UnknownAnchorKind = 13,

        /// <summary>Two trust anchors carry the same key id.</summary>
        DuplicateKeyId = 14,

        /// <summary>The trust-anchor list lacks a gateway root or an OTA signing key: the device could neither enrol nor update.</summary>
        MissingAnchorKind = 15,

        /// <summary>An OTA signing key is not a well-formed CBOR map (COSE_Key, RFC 9052 §7).</summary>
        InvalidCoseKey = 16,

        /// <summary>The hardware id in a Lock or FactoryReset request is not this device's: the tool is talking to another device than it thinks.</summary>
        HardwareIdMismatch = 17,

        /// <summary>A Hello answer does not carry the IoTSec magic: not an IoTSec device.</summary>
        BadMagic = 18,

        /// <summary>A Hello answer names a payload version the tool does not speak.</summary>
        UnsupportedVersion = 19,

        /// <summary>The device acknowledged another byte count than the tool sent.</summary>
        ProgressMismatch = 20,

        /// <summary>The command code is not a provisioning command.</summary>
        UnknownCommand = 21,

        /// <summary>A birth key is DER but not PKCS#8 (RFC 5208 / RFC 5958): a PKCS#1 RSA key or a SEC1 EC key sent by mistake.</summary>
        NotPkcs8 = 22,
    }
}
