namespace IoTSec.Protocol.Cbor
{
    /// <summary>
    /// Why a CBOR item was refused. The reason is meant for logs, metrics and the device's
    /// heartbeat, so each value names one cause.
    /// </summary>
    public enum CborError
    {
        /// <summary>The input ends inside an item, or a declared length or count needs more bytes than remain.</summary>
        Truncated = 1,

        /// <summary>An indefinite-length string, array or map, or a "break" stop code (additional information 31): outside the deterministic subset (RFC 8949 §4.2.1).</summary>
        IndefiniteLength = 2,

        /// <summary>Additional information 28-30, reserved by RFC 8949 §3, or 31 on a major type that has no indefinite form.</summary>
        ReservedAdditionalInfo = 3,

        /// <summary>An integer, length, count or tag not in its shortest form (RFC 8949 §4.2.1 preferred serialization).</summary>
        NonShortestEncoding = 4,

        /// <summary>A map holds the same key twice (RFC 8949 §5.6).</summary>
        DuplicateMapKey = 5,

        /// <summary>Map keys are not in the bytewise lexicographic order of their encodings (RFC 8949 §4.2.1).</summary>
        MapKeyOutOfOrder = 6,

        /// <summary>Arrays, maps and tags are nested deeper than <see cref="CborLimits.MaxNestingDepth"/>.</summary>
        NestingTooDeep = 7,

        /// <summary>A simple value other than false, true and null (including undefined): outside the subset.</summary>
        UnsupportedSimpleValue = 8,

        /// <summary>A half, single or double precision float: outside the subset.</summary>
        UnsupportedFloat = 9,

        /// <summary>A text string is not well-formed UTF-8 (RFC 3629), as RFC 8949 §3.1 requires it to be.</summary>
        InvalidUtf8 = 10,

        /// <summary>Bytes remain after the item when the caller required the input to be fully consumed.</summary>
        TrailingBytes = 11,

        /// <summary>The next item is not of the type the caller asked to read.</summary>
        UnexpectedType = 12,

        /// <summary>An integer does not fit the requested .NET type.</summary>
        IntegerOverflow = 13,

        /// <summary>A container still expects items: the reader was asked to end it, or the writer to encode, too early.</summary>
        ContainerIncomplete = 14,

        /// <summary>More items than the enclosing container declared (reader), or a second top-level item (writer).</summary>
        TooManyItems = 15,

        /// <summary>The writer was given a string with an unpaired UTF-16 surrogate, which has no UTF-8 form.</summary>
        InvalidUtf16 = 16,
    }
}
