namespace IoTSec.Protocol.Cbor
{
    /// <summary>What <see cref="CborReader"/> would read next.</summary>
    public enum CborReaderState
    {
        /// <summary>At the top level with no bytes left: the input is fully consumed.</summary>
        Finished = 0,

        /// <summary>An unsigned integer (major type 0).</summary>
        UnsignedInteger = 1,

        /// <summary>A negative integer (major type 1).</summary>
        NegativeInteger = 2,

        /// <summary>A byte string.</summary>
        ByteString = 3,

        /// <summary>A text string.</summary>
        TextString = 4,

        /// <summary>The head of an array: call <see cref="CborReader.ReadStartArray"/>.</summary>
        StartArray = 5,

        /// <summary>All items of the current array are read: call <see cref="CborReader.ReadEndArray"/>.</summary>
        EndArray = 6,

        /// <summary>The head of a map: call <see cref="CborReader.ReadStartMap"/>.</summary>
        StartMap = 7,

        /// <summary>All pairs of the current map are read: call <see cref="CborReader.ReadEndMap"/>.</summary>
        EndMap = 8,

        /// <summary>A tag: call <see cref="CborReader.ReadTag"/>, then read the tagged item.</summary>
        Tag = 9,

        /// <summary>false or true.</summary>
        Boolean = 10,

        /// <summary>null.</summary>
        Null = 11,
    }
}
