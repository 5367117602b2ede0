namespace IoTSec.Protocol.Cbor
{
    /// <summary>
    /// The map key order of RFC 8949 §4.2.1: keys sorted by the bytewise lexicographic order
    /// of their deterministic encodings. Callers that build maps from unordered data encode
    /// each key, sort with <see cref="Compare"/>, then write the pairs in that order.
    /// </summary>
    public static class CborKeyOrder
    {
        /// <summary>Compares two encoded keys bytewise; a proper prefix sorts first.</summary>
        /// <param name="a">Buffer holding the first encoded key.</param>
        /// <param name="aOffset">Index of the first key's first byte.</param>
        /// <param name="aLength">Length of the first key's encoding.</param>
        /// <param name="b">Buffer holding the second encoded key.</param>
        /// <param name="bOffset">Index of the second key's first byte.</param>
        /// <param name="bLength">Length of the second key's encoding.</param>
        /// <returns>Negative if a sorts before b, zero if equal, positive otherwise.</returns>
        public static int Compare(byte[] a, int aOffset, int aLength, byte[] b, int bOffset, int bLength)
        {
            int common = aLength < bLength ? aLength : bLength;
            for (int i = 0; i < common; i++)
            {
                int diff = a[aOffset + i] - b[bOffset + i];
                if (diff != 0)
                {
                    return diff;
                }
            }

            return aLength - bLength;
        }
    }
}
