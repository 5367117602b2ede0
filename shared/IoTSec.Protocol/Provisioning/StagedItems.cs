namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// The four provisioning items as bits: which are staged (Info), which are missing
    /// (a NotStaged refusal's diagnostic), which a read-back covers. Wire values.
    /// </summary>
    [System.Flags]
    public enum StagedItems : byte
    {
        /// <summary>No item.</summary>
        None = 0,

        /// <summary>The birth certificate (X.509, DER), written by <see cref="Console.ConsoleCommand.WriteBirthCertificate"/>.</summary>
        BirthCertificate = 0x01,

        /// <summary>Its private key (PKCS#8, DER), written by <see cref="Console.ConsoleCommand.WriteBirthKey"/>.</summary>
        BirthKey = 0x02,

        /// <summary>The trust-anchor list, written by <see cref="Console.ConsoleCommand.WriteTrustAnchors"/>.</summary>
        TrustAnchors = 0x04,

        /// <summary>The configuration, written by <see cref="Console.ConsoleCommand.WriteConfiguration"/>.</summary>
        Configuration = 0x08,

        /// <summary>All four: what a commit requires.</summary>
        All = 0x0F,
    }
}
