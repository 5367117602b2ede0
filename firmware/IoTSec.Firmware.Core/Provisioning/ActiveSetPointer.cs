using System;

namespace IoTSec.Firmware.Provisioning
{
    /// <summary>
    /// The content of the pointer record: which bank holds the set in force, the SHA-256 of
    /// each of its items as committed, a generation that every commit and factory reset
    /// advances, and whether a factory reset is still to be finished.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Layout: <c>format (1) = 1 | flags (1): bit 0 reset pending | bank (1): 0 none, 1 A, 2 B |
    /// generation (u32 BE) | 4 x SHA-256 (only when a bank is named)</c>, in the order of
    /// <see cref="ProvisioningRecords.Items"/>.
    /// </para>
    /// <para>
    /// Why the digests: loading checks each item of the bank against them, so a bank that is
    /// not exactly the set committed (a torn write that escaped the CRC, a bit flipped in
    /// flash) is reported instead of being loaded as a mixture. Why the generation: staged
    /// items carry the generation they were staged under, so a commit or a reset makes every
    /// staged leftover stale at once, with the one atomic write that switches the pointer.
    /// </para>
    /// </remarks>
    internal sealed class ActiveSetPointer
    {
        private const byte FormatVersion = 1;
        private const int HeaderLength = 7;
        private const int DigestLength = 32;
        private const byte FlagResetPending = 0x01;

        private readonly byte[][] _digests;

        public ActiveSetPointer(uint generation, int bank, byte[][] digests, bool resetPending)
        {
            Generation = generation;
            Bank = bank;
            _digests = digests;
            ResetPending = resetPending;
        }

        /// <summary>The pointer of a device that never committed: generation 0, no bank.</summary>
        public static ActiveSetPointer Empty
        {
            get { return new ActiveSetPointer(0, ProvisioningRecords.NoBank, null, false); }
        }

        /// <summary>Advanced by every commit and every factory reset.</summary>
        public uint Generation { get; private set; }

        /// <summary><see cref="ProvisioningRecords.BankA"/>, <see cref="ProvisioningRecords.BankB"/>, or <see cref="ProvisioningRecords.NoBank"/>.</summary>
        public int Bank { get; private set; }

        /// <summary>A factory reset switched the pointer off and has not finished wiping the banks, the staging area, the lifecycle and the lock.</summary>
        public bool ResetPending { get; private set; }

        /// <summary>The digest of one item of the bank in force.</summary>
        /// <param name="index">Index in <see cref="ProvisioningRecords.Items"/>.</param>
        /// <returns>The 32-byte SHA-256.</returns>
        public byte[] GetDigest(int index)
        {
            return _digests[index];
        }

        public byte[] Encode()
        {
            bool withDigests = Bank != ProvisioningRecords.NoBank;
            byte[] bytes = new byte[HeaderLength + (withDigests ? ProvisioningRecords.Items.Length * DigestLength : 0)];
            bytes[0] = FormatVersion;
            bytes[1] = ResetPending ? FlagResetPending : (byte)0;
            bytes[2] = (byte)Bank;
            bytes[3] = (byte)(Generation >> 24);
            bytes[4] = (byte)(Generation >> 16);
            bytes[5] = (byte)(Generation >> 8);
            bytes[6] = (byte)Generation;
            if (withDigests)
            {
                for (int i = 0; i < ProvisioningRecords.Items.Length; i++)
                {
                    Array.Copy(_digests[i], 0, bytes, HeaderLength + (i * DigestLength), DigestLength);
                }
            }

            return bytes;
        }

        /// <summary>Decodes the record; null means the record was never written.</summary>
        /// <param name="bytes">The record's payload, or null.</param>
        /// <returns>The pointer (<see cref="Empty"/> for null).</returns>
        /// <exception cref="ProvisionedStoreException"><see cref="ProvisionedStoreError.PointerDamaged"/>.</exception>
        public static ActiveSetPointer Decode(byte[] bytes)
        {
            if (bytes == null)
            {
                return Empty;
            }

            if (bytes.Length < HeaderLength || bytes[0] != FormatVersion || (bytes[1] & ~FlagResetPending) != 0)
            {
                throw new ProvisionedStoreException(ProvisionedStoreError.PointerDamaged, "record " + ProvisioningRecords.Pointer + ": unknown format or flags");
            }

            int bank = bytes[2];
            if (bank != ProvisioningRecords.NoBank && bank != ProvisioningRecords.BankA && bank != ProvisioningRecords.BankB)
            {
                throw new ProvisionedStoreException(ProvisionedStoreError.PointerDamaged, "record " + ProvisioningRecords.Pointer + ": unknown bank " + bank.ToString());
            }

            int expected = HeaderLength + (bank == ProvisioningRecords.NoBank ? 0 : ProvisioningRecords.Items.Length * DigestLength);
            if (bytes.Length != expected)
            {
                throw new ProvisionedStoreException(ProvisionedStoreError.PointerDamaged, "record " + ProvisioningRecords.Pointer + ": " + bytes.Length.ToString() + " bytes, expected " + expected.ToString());
            }

            uint generation = ((uint)bytes[3] << 24) | ((uint)bytes[4] << 16) | ((uint)bytes[5] << 8) | bytes[6];
            byte[][] digests = null;
            if (bank != ProvisioningRecords.NoBank)
            {
                digests = new byte[ProvisioningRecords.Items.Length][];
                for (int i = 0; i < digests.Length; i++)
                {
                    digests[i] = new byte[DigestLength];
                    Array.Copy(bytes, HeaderLength + (i * DigestLength), digests[i], 0, DigestLength);
                }
            }

            return new ActiveSetPointer(generation, bank, digests, (bytes[1] & FlagResetPending) != 0);
        }
    }
}
