namespace IoTSec.Protocol.Cose
{
    /// <summary>COSE algorithm identifiers (IANA "COSE Algorithms" registry) this library names.</summary>
    public static class CoseAlgorithms
    {
        /// <summary>PS256: RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 8230 §2). The only algorithm the verifier accepts (ADR 0004).</summary>
        public const int Ps256 = -37;

        /// <summary>ES256: ECDSA with P-256 and SHA-256 (RFC 9053 §2.1). Named for diagnostics; refused by the verifier.</summary>
        public const int Es256 = -7;
    }
}
