namespace IoTSec.Protocol.Manifest
{
    /// <summary>Component identifiers of the OTA manifest (the SUIT component concept, RFC 9124 §3.1, as small integers).</summary>
    public static class ManifestComponentIds
    {
        /// <summary>The application bundle: the managed assemblies the loader starts from the inactive slot.</summary>
        public const int ApplicationBundle = 0;

        /// <summary>Reserved: the nanoFramework native image (nanoCLR and firmware). nanoFramework cannot update it in the field yet, so devices refuse it today.</summary>
        public const int NativeImage = 1;
    }
}
