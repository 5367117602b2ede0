using System;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Storage;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Der;
using IoTSec.Protocol.Provisioning;

namespace IoTSec.Firmware.Provisioning
{
    /// <summary>
    /// Reads the identity the provisioning console committed, for the rest of the firmware
    /// (enrolment, heartbeats, OTA): <see cref="Load"/> returns the set the pointer record names,
    /// checked item by item against the digests recorded at commit, or null when the device is
    /// not provisioned. It never returns a mixture of two commits (docs/firmware/console.md).
    /// </summary>
    public sealed class ProvisionedStore
    {
        private readonly IFlashStore _flash;
        private readonly IDigestProvider _digests;

        /// <summary>Creates the reader.</summary>
        /// <param name="flash">The device's flash.</param>
        /// <param name="digests">SHA-256 (the platform's native one where it has one).</param>
        public ProvisionedStore(IFlashStore flash, IDigestProvider digests)
        {
            if (flash == null)
            {
                throw new ArgumentNullException("flash");
            }

            if (digests == null)
            {
                throw new ArgumentNullException("digests");
            }

            _flash = flash;
            _digests = digests;
        }

        /// <summary>Loads the committed identity.</summary>
        /// <returns>The identity, or null when nothing is committed (fresh device, or after a factory reset).</returns>
        /// <exception cref="ProvisionedStoreException">The pointer or the bank it names is damaged, or an item does not decode.</exception>
        /// <exception cref="FlashException">The medium failed.</exception>
        public ProvisionedIdentity Load()
        {
            ActiveSetPointer pointer = ReadPointer();
            if (pointer.Bank == ProvisioningRecords.NoBank)
            {
                return null;
            }

            byte[] certificate = ReadBankItem(pointer, StagedItems.BirthCertificate);
            byte[] key = ReadBankItem(pointer, StagedItems.BirthKey);
            byte[] anchors = ReadBankItem(pointer, StagedItems.TrustAnchors);
            byte[] configuration = ReadBankItem(pointer, StagedItems.Configuration);
            return new ProvisionedIdentity(
                DeviceIdOf(certificate),
                DecodeConfiguration(configuration),
                DecodeAnchors(anchors),
                certificate,
                key);
        }

        /// <summary>Whether a set is committed (cheaper than <see cref="Load"/>: reads the pointer only).</summary>
        /// <returns>True when a bank is in force.</returns>
        public bool IsProvisioned()
        {
            return ReadPointer().Bank != ProvisioningRecords.NoBank;
        }

        /// <summary>The device id a birth certificate carries: its subject common name (what EST enrolment and the broker check).</summary>
        /// <param name="certificate">X.509 DER.</param>
        /// <returns>The common name.</returns>
        /// <exception cref="ProvisionedStoreException"><see cref="ProvisionedStoreError.ItemUnreadable"/>: not a certificate, or no common name.</exception>
        public static string DeviceIdOf(byte[] certificate)
        {
            string name;
            try
            {
                name = X509CertificateInfo.Parse(certificate).SubjectCommonName;
            }
            catch (DerException e)
            {
                throw new ProvisionedStoreException(ProvisionedStoreError.ItemUnreadable, "birth certificate does not parse: " + e.Message, e);
            }

            if (name == null || name.Length == 0)
            {
                throw new ProvisionedStoreException(ProvisionedStoreError.ItemUnreadable, "birth certificate has no subject common name (the device id)");
            }

            return name;
        }

        internal ActiveSetPointer ReadPointer()
        {
            return ActiveSetPointer.Decode(new RecordStore(_flash, ProvisioningRecords.Pointer).Read());
        }

        internal byte[] Sha256(byte[] data)
        {
            return Sha256(data, 0, data.Length);
        }

        internal byte[] Sha256(byte[] data, int offset, int count)
        {
            byte[] digest = new byte[32];
            IHashAlgorithm hash = _digests.CreateSha256();
            try
            {
                hash.Update(data, offset, count);
                hash.Final(digest, 0);
            }
            finally
            {
                hash.Dispose();
            }

            return digest;
        }

        private byte[] ReadBankItem(ActiveSetPointer pointer, StagedItems item)
        {
            string name = ProvisioningRecords.InBank(pointer.Bank, item);
            byte[] bytes = new RecordStore(_flash, name).Read();
            if (bytes == null)
            {
                throw new ProvisionedStoreException(ProvisionedStoreError.BankItemMissing, "record " + name + " of the committed set is missing or damaged");
            }

            // Not a secret comparison (both digests are of data the device holds), but the
            // code base keeps one idiom for comparing digests.
            if (!ConstantTime.AreEqual(Sha256(bytes), pointer.GetDigest(ProvisioningRecords.IndexOf(item))))
            {
                throw new ProvisionedStoreException(ProvisionedStoreError.BankItemMismatch, "record " + name + " is not the one committed (digest differs)");
            }

            return bytes;
        }

        private static ProvisioningConfiguration DecodeConfiguration(byte[] bytes)
        {
            try
            {
                return ProvisioningConfiguration.Decode(bytes);
            }
            catch (ProvisioningPayloadException e)
            {
                throw new ProvisionedStoreException(ProvisionedStoreError.ItemUnreadable, "committed configuration does not decode: " + e.Message, e);
            }
        }

        private static TrustAnchorList DecodeAnchors(byte[] bytes)
        {
            try
            {
                return TrustAnchorList.Decode(bytes);
            }
            catch (ProvisioningPayloadException e)
            {
                throw new ProvisionedStoreException(ProvisionedStoreError.ItemUnreadable, "committed trust anchors do not decode: " + e.Message, e);
            }
        }
    }
}
