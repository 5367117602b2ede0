namespace IoTSec.Protocol.Rsa
{
    /// <summary>Why an RSA public key was refused. Each value names one cause, for logs and audit.</summary>
    public enum RsaKeyRejection
    {
        /// <summary>The encoding (COSE_Key CBOR, SubjectPublicKeyInfo DER) is not well-formed, has trailing bytes, non-minimal integers, unknown or private-key parameters.</summary>
        Malformed = 1,

        /// <summary>Not an RSA key: COSE_Key kty other than 3 (RFC 8230 §4), or an SPKI algorithm other than rsaEncryption (1.2.840.113549.1.1.1).</summary>
        UnsupportedKeyType = 2,

        /// <summary>A COSE_Key restricted to an algorithm other than PS256 (alg -37).</summary>
        UnsupportedAlgorithm = 3,

        /// <summary>The modulus is shorter than <see cref="RsaPublicKey.MinimumModulusBits"/> or longer than <see cref="RsaPublicKey.MaximumModulusBits"/>.</summary>
        UnsupportedKeySize = 4,

        /// <summary>The public exponent is not 65537: the verifier's cost is fixed by accepting that exponent only.</summary>
        UnsupportedExponent = 5,

        /// <summary>The modulus is even (no RSA modulus is), or zero.</summary>
        InvalidModulus = 6,
    }
}
