using IoTSec.Protocol.Provisioning;

namespace IoTSec.Firmware.Provisioning
{
    /// <summary>
    /// The flash records of the provisioning store (all prefixed "prov-"): a staging area, two
    /// banks that hold a committed set each, the pointer that says which bank is in force,
    /// and the lock flag. Each is a <see cref="Storage.RecordStore"/>.
    /// </summary>
    internal static class ProvisioningRecords
    {
        /// <summary>The pointer to the bank in force (<see cref="ActiveSetPointer"/>): switching it is the commit.</summary>
        public const string Pointer = "prov-active";

        /// <summary>The lock flag: present (one byte, 1) while provisioning is locked.</summary>
        public const string LockFlag = "prov-lock";

        /// <summary>Bank number meaning "no committed set".</summary>
        public const int NoBank = 0;

        /// <summary>The first bank.</summary>
        public const int BankA = 1;

        /// <summary>The second bank.</summary>
        public const int BankB = 2;

        /// <summary>The four items in the order they are written and digested.</summary>
        public static readonly StagedItems[] Items = new StagedItems[]
        {
            StagedItems.BirthCertificate,
            StagedItems.BirthKey,
            StagedItems.TrustAnchors,
            StagedItems.Configuration,
        };

        /// <summary>The staging record of one item ("prov-s-cert", ...).</summary>
        /// <param name="item">Exactly one item.</param>
        /// <returns>The record name.</returns>
        public static string Staged(StagedItems item)
        {
            return "prov-s-" + Suffix(item);
        }

        /// <summary>The record of one item in a bank ("prov-a-cert", "prov-b-key", ...).</summary>
        /// <param name="bank"><see cref="BankA"/> or <see cref="BankB"/>.</param>
        /// <param name="item">Exactly one item.</param>
        /// <returns>The record name.</returns>
        public static string InBank(int bank, StagedItems item)
        {
            return (bank == BankA ? "prov-a-" : "prov-b-") + Suffix(item);
        }

        /// <summary>The index of an item in <see cref="Items"/> (0 to 3).</summary>
        /// <param name="item">Exactly one item.</param>
        /// <returns>The index.</returns>
        public static int IndexOf(StagedItems item)
        {
            for (int i = 0; i < Items.Length; i++)
            {
                if (Items[i] == item)
                {
                    return i;
                }
            }

            throw new System.ArgumentOutOfRangeException("item", "name exactly one item");
        }

        private static string Suffix(StagedItems item)
        {
            switch (item)
            {
                case StagedItems.BirthCertificate: return "cert";
                case StagedItems.BirthKey: return "key";
                case StagedItems.TrustAnchors: return "anchors";
                case StagedItems.Configuration: return "config";
                default: throw new System.ArgumentOutOfRangeException("item", "name exactly one item");
            }
        }
    }
}
