namespace IoTSec.Protocol.Cose
{
    /// <summary>The common COSE header parameter labels (RFC 9052 §3.1) this library reads or writes.</summary>
    public static class CoseHeaderLabels
    {
        /// <summary>alg: the signature algorithm; must be in the protected header (RFC 9052 §3.1 recommends it, this profile requires it).</summary>
        public const int Algorithm = 1;

        /// <summary>crit: labels the recipient must understand. This profile defines no extension, so any crit is refused.</summary>
        public const int Critical = 2;

        /// <summary>content type: tells a manifest from a trust-anchor update; read from the protected header only.</summary>
        public const int ContentType = 3;

        /// <summary>kid: which trusted key signed, a byte string.</summary>
        public const int KeyId = 4;
    }
}
