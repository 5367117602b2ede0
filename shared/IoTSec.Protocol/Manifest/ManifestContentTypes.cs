namespace IoTSec.Protocol.Manifest
{
    /// <summary>
    /// The content types (COSE header label 3, protected) that tell the two payloads signed
    /// by the OTA key apart. Both verifiers require their own type exactly: a signed
    /// trust-anchor update must never be accepted as a manifest, nor the reverse (type
    /// confusion, one signed object replayed in another role).
    /// </summary>
    public static class ManifestContentTypes
    {
        /// <summary>An OTA manifest.</summary>
        public const string Manifest = "application/iotsec-manifest+cbor";

        /// <summary>A trust-anchor update.</summary>
        public const string AnchorUpdate = "application/iotsec-anchor-update+cbor";
    }
}
