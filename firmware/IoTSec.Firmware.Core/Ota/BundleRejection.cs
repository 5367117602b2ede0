namespace IoTSec.Firmware.Ota
{
    /// <summary>Why an application bundle was refused (docs/protocols/app-bundle.md). Stable numbers: they reach logs and the loader's console.</summary>
    public enum BundleRejection
    {
        /// <summary>The image ends inside a field.</summary>
        Truncated = 1,

        /// <summary>The image does not start with "IAPB".</summary>
        BadMagic = 2,

        /// <summary>The format version is not 1.</summary>
        UnsupportedVersion = 3,

        /// <summary>The assembly count is 0 or above the limit.</summary>
        BadAssemblyCount = 4,

        /// <summary>The entry type name is empty, too long, or has a character outside the allowed set.</summary>
        BadEntryTypeName = 5,

        /// <summary>An assembly name is empty, too long, or has a character outside the allowed set.</summary>
        BadAssemblyName = 6,

        /// <summary>Two assemblies have the same name (ignoring ASCII case).</summary>
        DuplicateAssemblyName = 7,

        /// <summary>An assembly length is 0 or above the limit.</summary>
        BadAssemblyLength = 8,

        /// <summary>Bytes follow the last assembly.</summary>
        TrailingBytes = 9,
    }
}
