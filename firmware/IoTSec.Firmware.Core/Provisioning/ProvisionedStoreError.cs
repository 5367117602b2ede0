namespace IoTSec.Firmware.Provisioning
{
    /// <summary>Why the provisioning store refused to load or change the committed identity.</summary>
    public enum ProvisionedStoreError
    {
        /// <summary>No error.</summary>
        None = 0,

        /// <summary>The pointer record holds bytes this firmware does not understand (another format version, a wrong length, an unknown bank).</summary>
        PointerDamaged = 1,

        /// <summary>An item of the bank in force is missing or both its copies fail their CRC.</summary>
        BankItemMissing = 2,

        /// <summary>An item of the bank in force does not hash to the digest the pointer recorded at commit (flash corruption, or a write behind the store's back).</summary>
        BankItemMismatch = 3,

        /// <summary>A committed item does not decode (configuration, trust anchors, or a certificate without a subject common name).</summary>
        ItemUnreadable = 4,

        /// <summary>The lifecycle's transition table refused the move a commit or factory reset needs.</summary>
        LifecycleRefused = 5,

        /// <summary>Commit was called with an item missing from the staging area (the console's rules should have refused it).</summary>
        NothingStaged = 6,
    }
}
