using IoTSec.Protocol.Cose;
using IoTSec.Protocol.Provisioning;
using IoTSec.Protocol.Rsa;

namespace IoTSec.Firmware.Ota
{
    /// <summary>The OTA signing keys among the provisioned trust anchors, in the form the manifest verifier takes.</summary>
    public static class OtaKeys
    {
        /// <summary>
        /// Every <see cref="TrustAnchorKind.OtaSigningKey"/> anchor that decodes as an RSA
        /// COSE_Key. An anchor that does not decode is left out: a manifest naming it is then
        /// refused as signed by an unknown key, which fails closed.
        /// </summary>
        /// <param name="anchors">The provisioned trust anchors.</param>
        /// <returns>The keys (possibly empty).</returns>
        public static CoseTrustedKey[] From(TrustAnchorList anchors)
        {
            if (anchors == null)
            {
                throw new System.ArgumentNullException("anchors");
            }

            CoseTrustedKey[] found = new CoseTrustedKey[anchors.Count];
            int count = 0;
            for (int i = 0; i < anchors.Count; i++)
            {
                TrustAnchor anchor = anchors.Get(i);
                if (anchor.Kind != TrustAnchorKind.OtaSigningKey)
                {
                    continue;
                }

                try
                {
                    found[count] = new CoseTrustedKey(anchor.GetKeyId(), RsaCoseKey.Decode(anchor.GetValue()));
                    count++;
                }
                catch (RsaKeyException)
                {
                    // Left out on purpose (see the summary).
                }
            }

            CoseTrustedKey[] keys = new CoseTrustedKey[count];
            System.Array.Copy(found, keys, count);
            return keys;
        }
    }
}
