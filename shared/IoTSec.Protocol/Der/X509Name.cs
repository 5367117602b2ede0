namespace IoTSec.Protocol.Der
{
    /// <summary>
    /// Walks an X.509 Name (RFC 5280 §4.1.2.4) to check its shape and pick out the
    /// commonName. Name ::= SEQUENCE OF RelativeDistinguishedName; RDN ::= SET SIZE (1..MAX)
    /// OF AttributeTypeAndValue; AttributeTypeAndValue ::= SEQUENCE { type OID, value ANY }.
    /// </summary>
    internal static class X509Name
    {
        /// <summary>id-at-commonName (RFC 5280 Appendix A.1).</summary>
        internal const string CommonNameOid = "2.5.4.3";

        /// <summary>
        /// Reads the contents of a Name (the reader over the SEQUENCE's contents) to its end.
        /// </summary>
        /// <param name="name">Reader over the Name SEQUENCE's contents.</param>
        /// <returns>
        /// The last commonName in the sequence (the most specific one, as RFC 6125 §2.3.1
        /// reads a name), or the empty string when the name has none.
        /// </returns>
        internal static string ReadCommonName(DerReader name)
        {
            string commonName = string.Empty;
            while (name.HasData)
            {
                int rdnAt = name.Position;
                DerReader rdn = name.ReadSet();
                if (!rdn.HasData)
                {
                    throw new DerException(DerError.InvalidStructure, rdnAt, "empty RelativeDistinguishedName (SIZE (1..MAX))");
                }

                while (rdn.HasData)
                {
                    DerReader attribute = rdn.ReadSequence();
                    string type = attribute.ReadObjectIdentifier();
                    if (type == CommonNameOid)
                    {
                        commonName = attribute.ReadCharacterString();
                    }
                    else
                    {
                        // Other attribute values are opaque here; the raw Name keeps them.
                        attribute.Skip();
                    }

                    attribute.ThrowIfNotEmpty();
                }
            }

            return commonName;
        }
    }
}
