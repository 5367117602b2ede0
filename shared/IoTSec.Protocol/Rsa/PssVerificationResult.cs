namespace IoTSec.Protocol.Rsa
{
    /// <summary>
    /// The outcome of a PS256 verification (RFC 8017 §8.1.2 and §9.1.2). Every failure has its
    /// own value so a refusal can be diagnosed (wrong key, corrupted signature, foreign
    /// padding), though all of them mean the same thing to the caller: not signed.
    /// </summary>
    public enum PssVerificationResult
    {
        /// <summary>The signature is valid for the message under the key.</summary>
        Valid = 0,

        /// <summary>The signature is not exactly as long as the modulus (RFC 8017 §8.1.2 step 1).</summary>
        WrongSignatureLength = 1,

        /// <summary>The signature, as an integer, is not below the modulus (RSAVP1, RFC 8017 §5.2.2 step 1).</summary>
        SignatureOutOfRange = 2,

        /// <summary>s^e mod n does not fit the encoded-message length emLen (RFC 8017 §8.1.2 step 2c).</summary>
        EncodedMessageTooLong = 3,

        /// <summary>The encoded message does not end with 0xbc (RFC 8017 §9.1.2 step 4).</summary>
        BadTrailer = 4,

        /// <summary>The leftmost 8·emLen − emBits bits of the encoded message are not zero (RFC 8017 §9.1.2 step 6).</summary>
        NonZeroLeftmostBits = 5,

        /// <summary>The unmasked DB does not start with zeros then 0x01 where a 32-byte salt requires it (RFC 8017 §9.1.2 step 10).</summary>
        BadPadding = 6,

        /// <summary>H′ computed from the message and the salt differs from H (RFC 8017 §9.1.2 step 14): wrong message or wrong key.</summary>
        HashMismatch = 7,
    }
}
