namespace IoTSec.Protocol.Der
{
    /// <summary>
    /// Single-octet identifier octets (X.690 §8.1.2) of the universal types an X.509
    /// certificate uses, and helpers for context-specific tags.
    /// </summary>
    public static class DerTag
    {
        /// <summary>BOOLEAN.</summary>
        public const byte Boolean = 0x01;

        /// <summary>INTEGER.</summary>
        public const byte Integer = 0x02;

        /// <summary>BIT STRING (primitive; DER forbids the constructed form).</summary>
        public const byte BitString = 0x03;

        /// <summary>OCTET STRING (primitive; DER forbids the constructed form).</summary>
        public const byte OctetString = 0x04;

        /// <summary>NULL.</summary>
        public const byte Null = 0x05;

        /// <summary>OBJECT IDENTIFIER.</summary>
        public const byte ObjectIdentifier = 0x06;

        /// <summary>UTF8String.</summary>
        public const byte Utf8String = 0x0C;

        /// <summary>PrintableString.</summary>
        public const byte PrintableString = 0x13;

        /// <summary>TeletexString (T61String).</summary>
        public const byte TeletexString = 0x14;

        /// <summary>IA5String.</summary>
        public const byte Ia5String = 0x16;

        /// <summary>UTCTime.</summary>
        public const byte UtcTime = 0x17;

        /// <summary>GeneralizedTime.</summary>
        public const byte GeneralizedTime = 0x18;

        /// <summary>UniversalString (UCS-4).</summary>
        public const byte UniversalString = 0x1C;

        /// <summary>BMPString (UCS-2).</summary>
        public const byte BmpString = 0x1E;

        /// <summary>SEQUENCE and SEQUENCE OF (always constructed).</summary>
        public const byte Sequence = 0x30;

        /// <summary>SET and SET OF (always constructed).</summary>
        public const byte Set = 0x31;

        /// <summary>The constructed bit of an identifier octet.</summary>
        public const byte ConstructedFlag = 0x20;

        /// <summary>Low five bits of 0x1F: the high-tag-number form, which this reader refuses.</summary>
        public const byte HighTagNumberForm = 0x1F;

        /// <summary>The constructed context-specific tag [n], as EXPLICIT tagging produces.</summary>
        /// <param name="number">Tag number, 0 to 30.</param>
        /// <returns>The identifier octet 0xA0 | number.</returns>
        public static byte ContextConstructed(int number)
        {
            return (byte)(0xA0 | CheckNumber(number));
        }

        /// <summary>The primitive context-specific tag [n], as IMPLICIT tagging of a primitive type produces.</summary>
        /// <param name="number">Tag number, 0 to 30.</param>
        /// <returns>The identifier octet 0x80 | number.</returns>
        public static byte ContextPrimitive(int number)
        {
            return (byte)(0x80 | CheckNumber(number));
        }

        private static int CheckNumber(int number)
        {
            if (number < 0 || number > 30)
            {
                throw new System.ArgumentOutOfRangeException("number", "a single-octet tag number is 0 to 30");
            }

            return number;
        }
    }
}
