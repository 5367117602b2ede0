namespace IoTSec.Protocol.Der
{
    /// <summary>
    /// Why a DER input was refused. The reason is meant for logs, metrics and the device's
    /// heartbeat: every value names one rule of X.690 (DER) or RFC 5280 that the input broke.
    /// </summary>
    public enum DerError
    {
        /// <summary>The input ended inside an element, or an element claims more bytes than its parent holds.</summary>
        Truncated = 1,

        /// <summary>Indefinite length (0x80): BER only, forbidden by DER (X.690 §10.1).</summary>
        IndefiniteLength = 2,

        /// <summary>Length not in its shortest form: long form for a length below 128, or a leading zero octet (X.690 §10.1).</summary>
        NonMinimalLength = 3,

        /// <summary>Length of more than four octets, above int.MaxValue, or the reserved 0xFF first octet.</summary>
        LengthTooLarge = 4,

        /// <summary>The element's tag is not the one the structure requires at this place.</summary>
        UnexpectedTag = 5,

        /// <summary>High-tag-number form (low five bits 0x1F): no X.509 structure uses it, so it is refused.</summary>
        HighTagNumber = 6,

        /// <summary>An INTEGER with a redundant leading 0x00 or 0xFF octet (X.690 §8.3.2).</summary>
        NonMinimalInteger = 7,

        /// <summary>An INTEGER with no content octets (X.690 §8.3.1).</summary>
        InvalidInteger = 8,

        /// <summary>An INTEGER too large for the field that holds it.</summary>
        IntegerOutOfRange = 9,

        /// <summary>An OBJECT IDENTIFIER that is empty, not minimally encoded, cut short, or has an arc beyond 64 bits.</summary>
        InvalidOid = 10,

        /// <summary>A UTCTime or GeneralizedTime not in the one form RFC 5280 §4.1.2.5 allows, or not a real date.</summary>
        InvalidTime = 11,

        /// <summary>A BIT STRING with more than 7 unused bits, unused bits without content, or non-zero padding bits (X.690 §11.2).</summary>
        InvalidBitString = 12,

        /// <summary>A BOOLEAN not exactly one octet of 0x00 or 0xFF (X.690 §11.1).</summary>
        InvalidBoolean = 13,

        /// <summary>A NULL with content.</summary>
        InvalidNull = 14,

        /// <summary>A character string with bytes its string type does not allow.</summary>
        InvalidString = 15,

        /// <summary>Bytes left over after the last element a structure defines.</summary>
        TrailingData = 16,

        /// <summary>Constructed elements nested deeper than <see cref="DerReader.MaxDepth"/>.</summary>
        NestingTooDeep = 17,

        /// <summary>A certificate version other than v1, v2 or v3, or a field its version does not allow (RFC 5280 §4.1.2.1).</summary>
        InvalidVersion = 18,

        /// <summary>The outer signatureAlgorithm differs from tbsCertificate.signature (RFC 5280 §4.1.1.2).</summary>
        SignatureAlgorithmMismatch = 19,

        /// <summary>The same extension appears twice (RFC 5280 §4.2).</summary>
        DuplicateExtension = 20,

        /// <summary>A SEQUENCE OF or SET OF that must not be empty is empty, or holds more items than this reader accepts.</summary>
        InvalidStructure = 21,

        /// <summary>No well-formed PEM certificate block (RFC 7468): missing markers or bad Base64.</summary>
        InvalidPem = 22,
    }
}
