namespace IoTSec.Protocol.Der
{
    /// <summary>
    /// One certificate extension (RFC 5280 §4.1, Extension ::= SEQUENCE { extnID, critical
    /// BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }), kept raw for a later, specific parser.
    /// </summary>
    public sealed class CertificateExtension
    {
        /// <summary>Creates an extension record.</summary>
        /// <param name="oid">The extnID in dotted-decimal form.</param>
        /// <param name="critical">The critical flag (false when absent).</param>
        /// <param name="value">The extnValue's octets.</param>
        public CertificateExtension(string oid, bool critical, byte[] value)
        {
            Oid = oid;
            Critical = critical;
            Value = value;
        }

        /// <summary>The extension's identifier, for example "2.5.29.19" (basicConstraints).</summary>
        public string Oid { get; }

        /// <summary>
        /// Whether the extension is critical. RFC 5280 §4.2: a relying party that does not
        /// understand a critical extension must reject the certificate.
        /// </summary>
        public bool Critical { get; }

        /// <summary>The contents of extnValue: the DER encoding of the extension's own value (shared, do not modify).</summary>
        public byte[] Value { get; }
    }
}
