namespace IoTSec.Protocol.Cbor
{
    /// <summary>The eight CBOR major types (RFC 8949 §3.1): the top three bits of an item's first byte.</summary>
    public enum CborMajorType
    {
        /// <summary>Major type 0: an unsigned integer 0..2^64-1.</summary>
        UnsignedInteger = 0,

        /// <summary>Major type 1: a negative integer -1-n for n in 0..2^64-1.</summary>
        NegativeInteger = 1,

        /// <summary>Major type 2: a byte string.</summary>
        ByteString = 2,

        /// <summary>Major type 3: a UTF-8 text string.</summary>
        TextString = 3,

        /// <summary>Major type 4: an array of data items.</summary>
        Array = 4,

        /// <summary>Major type 5: a map of key/value pairs.</summary>
        Map = 5,

        /// <summary>Major type 6: a tagged data item.</summary>
        Tag = 6,

        /// <summary>Major type 7: simple values (false, true, null, ...) and floats.</summary>
        SimpleOrFloat = 7,
    }
}
