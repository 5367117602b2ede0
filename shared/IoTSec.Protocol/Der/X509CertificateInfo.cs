using System;

namespace IoTSec.Protocol.Der
{
    /// <summary>
    /// What a device needs to know about an X.509 certificate — typically its own — read
    /// from DER without any cryptography: validity, serial number, names, public key,
    /// signature algorithm and raw extensions, plus where the signed part lies for a later
    /// signature check. Parsing checks the structure of RFC 5280 §4.1 strictly and throws
    /// <see cref="DerException"/> for anything else; it does not verify the signature.
    /// </summary>
    public sealed class X509CertificateInfo
    {
        /// <summary>Most extensions accepted; real certificates carry about ten. Bounds parsing work on hostile input.</summary>
        public const int MaxExtensions = 64;

        /// <summary>
        /// GeneralizedTime "99991231235959Z": RFC 5280 §4.1.2.5's notAfter for a certificate
        /// with no well-defined expiration date (IEEE 802.1AR device identities use it).
        /// </summary>
        private static readonly byte[] NoExpirationTime =
        {
            0x18, 0x0F, 0x39, 0x39, 0x39, 0x39, 0x31, 0x32, 0x33, 0x31, 0x32, 0x33, 0x35, 0x39, 0x35, 0x39, 0x5A,
        };

        private X509CertificateInfo(byte[] rawData)
        {
            RawData = rawData;
            SerialNumber = Issuer = Subject = SubjectPublicKeyInfo = PublicKey = Signature = new byte[0];
            PublicKeyAlgorithmParameters = SignatureAlgorithmParameters = new byte[0];
            PublicKeyAlgorithmOid = SignatureAlgorithmOid = IssuerCommonName = SubjectCommonName = string.Empty;
            Extensions = new CertificateExtension[0];
        }

        /// <summary>The array the certificate was parsed from (not copied: do not modify it).</summary>
        public byte[] RawData { get; }

        /// <summary>Certificate version: 1, 2 or 3 (the encoded value plus one).</summary>
        public int Version { get; private set; }

        /// <summary>
        /// serialNumber's content octets exactly as encoded: big-endian two's complement, so a
        /// leading 0x00 is present when the first significant octet has its high bit set.
        /// </summary>
        public byte[] SerialNumber { get; private set; }

        /// <summary>The serial number as upper-case hex of <see cref="SerialNumber"/>, as X509Certificate2.SerialNumber shows it.</summary>
        public string SerialNumberHex
        {
            get { return ToHex(SerialNumber); }
        }

        /// <summary>Issuer Name: its whole DER encoding (the SEQUENCE), for matching against a CA's subject.</summary>
        public byte[] Issuer { get; private set; }

        /// <summary>The issuer's commonName (the last one if several), or the empty string when it has none.</summary>
        public string IssuerCommonName { get; private set; }

        /// <summary>Subject Name: its whole DER encoding (the SEQUENCE).</summary>
        public byte[] Subject { get; private set; }

        /// <summary>The subject's commonName (the last one if several), or the empty string when it has none.</summary>
        public string SubjectCommonName { get; private set; }

        /// <summary>Start of the validity period (UTC).</summary>
        public DateTime NotBefore { get; private set; }

        /// <summary>
        /// End of the validity period (UTC). On nanoFramework, whose DateTime ends in 3000, a
        /// later notAfter reads as DateTime.MaxValue.
        /// </summary>
        public DateTime NotAfter { get; private set; }

        /// <summary>Whether notAfter is 99991231235959Z, "no well-defined expiration date" (RFC 5280 §4.1.2.5).</summary>
        public bool HasNoWellDefinedExpiration { get; private set; }

        /// <summary>SubjectPublicKeyInfo: its whole DER encoding, as ExportSubjectPublicKeyInfo produces.</summary>
        public byte[] SubjectPublicKeyInfo { get; private set; }

        /// <summary>The public key's algorithm, for example "1.2.840.10045.2.1" (id-ecPublicKey) or "1.2.840.113549.1.1.1" (rsaEncryption).</summary>
        public string PublicKeyAlgorithmOid { get; private set; }

        /// <summary>
        /// The public key algorithm's parameters (whole DER encoding: a curve OID, NULL, ...),
        /// or an empty array when absent (a present value is at least two bytes).
        /// </summary>
        public byte[] PublicKeyAlgorithmParameters { get; private set; }

        /// <summary>The subjectPublicKey BIT STRING's octets: an EC point, or an RSAPublicKey SEQUENCE.</summary>
        public byte[] PublicKey { get; private set; }

        /// <summary>The signature algorithm, for example "1.2.840.10045.4.3.2" (ecdsa-with-SHA256).</summary>
        public string SignatureAlgorithmOid { get; private set; }

        /// <summary>The signature algorithm's parameters (whole DER encoding), or an empty array when absent.</summary>
        public byte[] SignatureAlgorithmParameters { get; private set; }

        /// <summary>The signatureValue BIT STRING's octets (for ECDSA, the DER Ecdsa-Sig-Value).</summary>
        public byte[] Signature { get; private set; }

        /// <summary>Index in <see cref="RawData"/> of the tbsCertificate's tag: the signed bytes start here.</summary>
        public int TbsCertificateOffset { get; private set; }

        /// <summary>Length of the tbsCertificate's whole encoding: the number of signed bytes.</summary>
        public int TbsCertificateLength { get; private set; }

        /// <summary>The extensions in certificate order (empty for v1/v2 certificates). Shared: do not modify.</summary>
        public CertificateExtension[] Extensions { get; private set; }

        /// <summary>Parses a DER-encoded certificate that fills the whole array.</summary>
        /// <param name="der">The certificate; kept as <see cref="RawData"/>, not copied.</param>
        /// <returns>The certificate's fields.</returns>
        public static X509CertificateInfo Parse(byte[] der)
        {
            if (der == null)
            {
                throw new ArgumentNullException("der");
            }

            var info = new X509CertificateInfo(der);
            var root = new DerReader(der);

            // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
            DerReader certificate = root.ReadSequence();
            root.ThrowIfNotEmpty();

            info.TbsCertificateOffset = certificate.Position;
            DerReader tbs = certificate.ReadSequence();
            info.TbsCertificateLength = certificate.Position - info.TbsCertificateOffset;
            int innerAlgorithmLength;
            int innerAlgorithmAt = info.ReadTbsCertificate(tbs, out innerAlgorithmLength);

            int outerAlgorithmAt = certificate.Position;
            string oid;
            byte[] parameters;
            ReadAlgorithmIdentifier(certificate, out oid, out parameters);
            if (!SameBytes(der, innerAlgorithmAt, innerAlgorithmLength, outerAlgorithmAt, certificate.Position - outerAlgorithmAt))
            {
                // RFC 5280 §4.1.1.2: both must be the same; a difference is a substitution attempt or a broken CA.
                throw new DerException(DerError.SignatureAlgorithmMismatch, outerAlgorithmAt, "signatureAlgorithm differs from tbsCertificate.signature");
            }

            info.SignatureAlgorithmOid = oid;
            info.SignatureAlgorithmParameters = parameters;
            info.Signature = ReadWholeOctetBitString(certificate, "signatureValue");
            certificate.ThrowIfNotEmpty();
            return info;
        }

        /// <summary>Parses the first "CERTIFICATE" block of PEM text (RFC 7468).</summary>
        /// <param name="pem">PEM text.</param>
        /// <returns>The certificate's fields.</returns>
        public static X509CertificateInfo ParsePem(string pem)
        {
            return Parse(PemCertificate.ExtractDer(pem));
        }

        /// <summary>Whether the certificate carries the extension with the given identifier.</summary>
        /// <param name="oid">Dotted-decimal identifier, for example "2.5.29.15" (keyUsage).</param>
        /// <returns>True when present.</returns>
        public bool HasExtension(string oid)
        {
            return IndexOfExtension(oid) >= 0;
        }

        /// <summary>The extension with the given identifier.</summary>
        /// <param name="oid">Dotted-decimal identifier, for example "2.5.29.19" (basicConstraints).</param>
        /// <returns>The extension.</returns>
        /// <exception cref="ArgumentException">The certificate has no such extension (ask <see cref="HasExtension"/> first).</exception>
        public CertificateExtension GetExtension(string oid)
        {
            int index = IndexOfExtension(oid);
            if (index < 0)
            {
                throw new ArgumentException("the certificate has no extension " + oid, "oid");
            }

            return Extensions[index];
        }

        /// <summary>Index in <see cref="Extensions"/> of the extension with the given identifier, or -1.</summary>
        /// <param name="oid">Dotted-decimal identifier.</param>
        /// <returns>The index, or -1 when absent.</returns>
        public int IndexOfExtension(string oid)
        {
            for (int i = 0; i < Extensions.Length; i++)
            {
                if (Extensions[i].Oid == oid)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>A copy of the signed bytes (the tbsCertificate's whole encoding).</summary>
        /// <returns>A new array.</returns>
        public byte[] GetTbsCertificate()
        {
            return CopyOf(RawData, TbsCertificateOffset, TbsCertificateLength);
        }

        /// <summary>
        /// Reads TBSCertificate (RFC 5280 §4.1.2) into this instance.
        /// Returns where tbsCertificate.signature lies, for the comparison with the outer one.
        /// </summary>
        private int ReadTbsCertificate(DerReader tbs, out int algorithmLength)
        {
            // version [0] EXPLICIT Version DEFAULT v1
            Version = 1;
            if (tbs.NextIs(DerTag.ContextConstructed(0)))
            {
                int versionAt = tbs.Position;
                DerReader version = tbs.ReadExplicit(0);
                int value = version.ReadInt32();
                version.ThrowIfNotEmpty();
                if (value < 0 || value > 2)
                {
                    throw new DerException(DerError.InvalidVersion, versionAt, "version " + value.ToString() + " is not v1, v2 or v3");
                }

                Version = value + 1;
            }

            // RFC 5280 §4.1.2.2 wants a positive serial of at most 20 octets, but also asks
            // relying parties to cope with others: the raw INTEGER is kept as it is.
            SerialNumber = tbs.ReadIntegerBytes();

            int algorithmAt = tbs.Position;
            string ignoredOid;
            byte[] ignoredParameters;
            ReadAlgorithmIdentifier(tbs, out ignoredOid, out ignoredParameters);
            algorithmLength = tbs.Position - algorithmAt;

            int issuerAt = tbs.Position;
            IssuerCommonName = X509Name.ReadCommonName(tbs.ReadSequence());
            Issuer = CopyOf(RawData, issuerAt, tbs.Position - issuerAt);

            DerReader validity = tbs.ReadSequence();
            NotBefore = validity.ReadTime();
            int notAfterAt = validity.Position;
            NotAfter = validity.ReadTime();
            HasNoWellDefinedExpiration = SameBytes(RawData, notAfterAt, validity.Position - notAfterAt, NoExpirationTime);
            validity.ThrowIfNotEmpty();

            int subjectAt = tbs.Position;
            SubjectCommonName = X509Name.ReadCommonName(tbs.ReadSequence());
            Subject = CopyOf(RawData, subjectAt, tbs.Position - subjectAt);

            int keyInfoAt = tbs.Position;
            DerReader keyInfo = tbs.ReadSequence();
            string keyOid;
            byte[] keyParameters;
            ReadAlgorithmIdentifier(keyInfo, out keyOid, out keyParameters);
            PublicKeyAlgorithmOid = keyOid;
            PublicKeyAlgorithmParameters = keyParameters;
            PublicKey = ReadWholeOctetBitString(keyInfo, "subjectPublicKey");
            keyInfo.ThrowIfNotEmpty();
            SubjectPublicKeyInfo = CopyOf(RawData, keyInfoAt, tbs.Position - keyInfoAt);

            // issuerUniqueID [1] IMPLICIT BIT STRING, subjectUniqueID [2] ...: v2 or v3 only.
            SkipUniqueIdentifier(tbs, 1);
            SkipUniqueIdentifier(tbs, 2);

            // extensions [3] EXPLICIT Extensions: v3 only.
            if (tbs.NextIs(DerTag.ContextConstructed(3)))
            {
                if (Version != 3)
                {
                    throw new DerException(DerError.InvalidVersion, tbs.Position, "extensions in a v" + Version.ToString() + " certificate");
                }

                DerReader wrapper = tbs.ReadExplicit(3);
                Extensions = X509Extensions.Read(wrapper);
                wrapper.ThrowIfNotEmpty();
            }

            tbs.ThrowIfNotEmpty();
            return algorithmAt;
        }

        private void SkipUniqueIdentifier(DerReader tbs, int number)
        {
            if (tbs.NextIs(DerTag.ContextPrimitive(number)))
            {
                if (Version < 2)
                {
                    throw new DerException(DerError.InvalidVersion, tbs.Position, "unique identifier in a v1 certificate");
                }

                int unusedBits;
                tbs.ReadBitString(DerTag.ContextPrimitive(number), out unusedBits);
            }
        }

        /// <summary>AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }.</summary>
        private static void ReadAlgorithmIdentifier(DerReader reader, out string oid, out byte[] parameters)
        {
            DerReader algorithm = reader.ReadSequence();
            oid = algorithm.ReadObjectIdentifier();
            parameters = algorithm.HasData ? algorithm.ReadEncodedValue() : new byte[0];
            algorithm.ThrowIfNotEmpty();
        }

        /// <summary>
        /// A BIT STRING that must be whole octets. Keys and signatures of every algorithm a
        /// device meets (RSA, ECDSA, EdDSA) are; refusing the rest keeps a caller from
        /// silently mishandling a partial last octet.
        /// </summary>
        private static byte[] ReadWholeOctetBitString(DerReader reader, string what)
        {
            int at = reader.Position;
            int unusedBits;
            byte[] bits = reader.ReadBitString(out unusedBits);
            if (unusedBits != 0)
            {
                throw new DerException(DerError.InvalidBitString, at, what + " is not a whole number of octets");
            }

            return bits;
        }

        private static bool SameBytes(byte[] buffer, int a, int aLength, int b, int bLength)
        {
            if (aLength != bLength)
            {
                return false;
            }

            for (int i = 0; i < aLength; i++)
            {
                if (buffer[a + i] != buffer[b + i])
                {
                    return false;
                }
            }

            return true;
        }

        private static bool SameBytes(byte[] buffer, int start, int length, byte[] expected)
        {
            if (length != expected.Length)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                if (buffer[start + i] != expected[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static byte[] CopyOf(byte[] buffer, int start, int length)
        {
            var copy = new byte[length];
            Array.Copy(buffer, start, copy, 0, length);
            return copy;
        }

        private static string ToHex(byte[] bytes)
        {
            const string Digits = "0123456789ABCDEF";
            var chars = new char[bytes.Length * 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = Digits[bytes[i] >> 4];
                chars[(2 * i) + 1] = Digits[bytes[i] & 0x0F];
            }

            return new string(chars, 0, chars.Length);
        }
    }
}
