namespace IoTSec.Protocol.Cbor
{
    /// <summary>How strictly <see cref="CborReader"/> holds input to the deterministic encoding rules.</summary>
    public enum CborConformance
    {
        /// <summary>
        /// RFC 8949 §4.2.1 core deterministic encoding: shortest heads, map keys in strictly
        /// increasing bytewise order of their encodings (which also rules out duplicates).
        /// The default: signed data must have exactly one encoding.
        /// </summary>
        Deterministic = 0,

        /// <summary>
        /// Also accepts non-shortest heads and maps in any key order, for data from foreign
        /// encoders. Duplicate keys are then NOT detected: the caller must reject them
        /// (RFC 8949 §5.6) when it builds its own view of the map.
        /// </summary>
        Lax = 1,
    }
}
