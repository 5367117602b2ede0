using IoTSec.Protocol.Cbor;

namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// The shape check of an OTA signing key at provisioning time: one well-formed CBOR map
    /// (a COSE_Key, RFC 9052 §7) with a key type (label 1, kty) and nothing after it. The key
    /// itself (curve, coordinates, modulus) is checked by the OTA verifier that uses it; this
    /// catches a PEM file or a certificate sent as an OTA key at the bench.
    /// </summary>
    internal static class CoseKeyShape
    {
        // RFC 9052 §7.1: label 1 is kty.
        private const long LabelKeyType = 1;

        // A COSE_Key has a handful of parameters (an RSA key with CRT values about ten); the
        // bound keeps the duplicate check's array small on the device.
        private const int MaxParameters = 16;

        /// <summary>Refuses <paramref name="value"/> unless it is one CBOR map holding label 1.</summary>
        /// <param name="value">The encoded COSE_Key.</param>
        internal static void Check(byte[] value)
        {
            bool hasKeyType = false;
            try
            {
                // Lax: a COSE_Key made by another library (System.Security.Cryptography.Cose,
                // a release tool in another language) need not be in deterministic order. Lax
                // mode does not detect duplicate labels, so they are caught here (RFC 8949 §5.6).
                var reader = new CborReader(value, 0, value.Length, CborConformance.Lax);
                int pairs = reader.ReadStartMap();
                if (pairs > MaxParameters)
                {
                    throw new ProvisioningPayloadException(ProvisioningPayloadError.InvalidCoseKey, "OTA signing key has " + pairs.ToString() + " parameters, at most " + MaxParameters.ToString() + " allowed");
                }

                long[] seen = new long[pairs];
                int seenCount = 0;
                for (int i = 0; i < pairs; i++)
                {
                    CborReaderState state = reader.PeekState();
                    if (state == CborReaderState.UnsignedInteger || state == CborReaderState.NegativeInteger)
                    {
                        long label = reader.ReadInt64();
                        for (int j = 0; j < seenCount; j++)
                        {
                            if (seen[j] == label)
                            {
                                throw new ProvisioningPayloadException(ProvisioningPayloadError.InvalidCoseKey, "OTA signing key repeats label " + label.ToString());
                            }
                        }

                        seen[seenCount++] = label;
                        hasKeyType |= label == LabelKeyType;
                    }
                    else
                    {
                        // RFC 9052 §7 allows text labels too; they play no part here.
                        reader.SkipValue();
                    }

                    reader.SkipValue();
                }

                reader.ReadEndMap();
                reader.ReadEnd();
            }
            catch (CborException e)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.InvalidCoseKey, "OTA signing key is not a well-formed COSE_Key map: " + e.Message, e);
            }

            if (!hasKeyType)
            {
                throw new ProvisioningPayloadException(ProvisioningPayloadError.InvalidCoseKey, "OTA signing key has no key type (COSE_Key label 1)");
            }
        }
    }
}
