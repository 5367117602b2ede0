namespace IoTSec.Protocol.Manifest
{
    /// <summary>Digest algorithm identifiers of a SUIT_Digest (RFC 9124 §8.4.2, COSE Algorithms registry).</summary>
    public static class SuitDigestAlgorithms
    {
        /// <summary>SHA-256 (COSE -16), the only one accepted.</summary>
        public const int Sha256 = -16;
    }
}
