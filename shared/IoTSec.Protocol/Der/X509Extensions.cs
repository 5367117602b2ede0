using System.Collections;

namespace IoTSec.Protocol.Der
{
    /// <summary>
    /// Reads Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension (RFC 5280 §4.1), keeping each
    /// extnValue raw for a later, specific parser (basicConstraints, keyUsage, ...).
    /// </summary>
    internal static class X509Extensions
    {
        /// <summary>Reads the Extensions SEQUENCE from the reader over [3]'s contents.</summary>
        /// <param name="wrapper">Reader over the contents of the [3] EXPLICIT tag.</param>
        /// <returns>The extensions in certificate order.</returns>
        internal static CertificateExtension[] Read(DerReader wrapper)
        {
            int listAt = wrapper.Position;
            DerReader list = wrapper.ReadSequence();
            if (!list.HasData)
            {
                throw new DerException(DerError.InvalidStructure, listAt, "empty Extensions (SIZE (1..MAX))");
            }

            var found = new ArrayList();
            while (list.HasData)
            {
                int extensionAt = list.Position;
                DerReader extension = list.ReadSequence();
                string oid = extension.ReadObjectIdentifier();

                // critical BOOLEAN DEFAULT FALSE. Strict DER omits an explicit FALSE; it is
                // still accepted, as mbedTLS and OpenSSL do, since it changes no meaning.
                bool critical = extension.NextIs(DerTag.Boolean) && extension.ReadBoolean();
                byte[] value = extension.ReadOctetString();
                extension.ThrowIfNotEmpty();

                if (found.Count == X509CertificateInfo.MaxExtensions)
                {
                    throw new DerException(DerError.InvalidStructure, extensionAt, "more than " + X509CertificateInfo.MaxExtensions.ToString() + " extensions");
                }

                for (int i = 0; i < found.Count; i++)
                {
                    var earlier = (CertificateExtension)found[i]!;
                    if (earlier.Oid == oid)
                    {
                        // RFC 5280 §4.2: at most one instance of each extension. Two could
                        // be read differently by two parsers, so refuse.
                        throw new DerException(DerError.DuplicateExtension, extensionAt, "extension " + oid + " appears twice");
                    }
                }

                found.Add(new CertificateExtension(oid, critical, value));
            }

            var result = new CertificateExtension[found.Count];
            found.CopyTo(result);
            return result;
        }
    }
}
