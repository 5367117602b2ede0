using System;
using IoTSec.Firmware.Lifecycle;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Storage;
using IoTSec.Protocol.Provisioning;

namespace IoTSec.Firmware.Provisioning
{
    /// <summary>
    /// The device's provisioning store over its flash, as the console's
    /// <see cref="ProvisioningConsoleHandler"/> drives it: a staging area, two banks, one
    /// pointer record that names the bank in force, and a lock flag (docs/firmware/console.md).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Commit writes the staged set into the bank not in force, then switches the pointer (one
    /// <see cref="RecordStore"/> write, which a power cut leaves old or new), then tidies up and
    /// moves the lifecycle to Provisioned. A cut before the switch leaves the previous set in
    /// force (and the staged items still staged); a cut after it leaves the new set, and
    /// <see cref="RecoverAfterBoot"/> finishes the tidying and the lifecycle move. Nothing
    /// reads a bank without checking it against the digests in the pointer.
    /// </para>
    /// <para>
    /// Staged records carry the pointer's generation: a commit or a reset advances it, which
    /// makes every staged leftover stale in the same atomic write.
    /// </para>
    /// <para>
    /// The rules (lock gate, what a commit needs) are the handler's; this class persists.
    /// Not thread-safe: the console calls it from one loop.
    /// </para>
    /// </remarks>
    public sealed class FlashProvisioningTarget : IProvisioningTarget
    {
        private const int StagedHeaderLength = 4;

        private readonly IFlashStore _flash;
        private readonly IDevicePlatform _platform;
        private readonly IDeviceLifecycle _lifecycle;
        private readonly ProvisioningDeviceFacts _facts;
        private readonly IDeviceLog _log;
        private readonly ProvisionedStore _store;
        private readonly string _hardwareId;

        /// <summary>Creates the target; it reads and writes nothing until called.</summary>
        /// <param name="flash">The device's flash.</param>
        /// <param name="platform">Hardware id, board name and digests.</param>
        /// <param name="lifecycle">The device's lifecycle (commit moves it to Provisioned, a reset to Unprovisioned).</param>
        /// <param name="facts">Firmware version and digest, hardening, rework strap.</param>
        /// <param name="log">The device log (never given an item's contents).</param>
        public FlashProvisioningTarget(IFlashStore flash, IDevicePlatform platform, IDeviceLifecycle lifecycle, ProvisioningDeviceFacts facts, IDeviceLog log)
        {
            if (flash == null)
            {
                throw new ArgumentNullException("flash");
            }

            if (platform == null)
            {
                throw new ArgumentNullException("platform");
            }

            if (lifecycle == null)
            {
                throw new ArgumentNullException("lifecycle");
            }

            if (facts == null)
            {
                throw new ArgumentNullException("facts");
            }

            if (log == null)
            {
                throw new ArgumentNullException("log");
            }

            _flash = flash;
            _platform = platform;
            _lifecycle = lifecycle;
            _facts = facts;
            _log = log;
            _store = new ProvisionedStore(flash, platform.Digests);
            _hardwareId = ProvisioningDeviceFacts.FormatHardwareId(platform.HardwareId);
        }

        /// <summary>The hardware id as the console reports it (and as Lock and FactoryReset must name it).</summary>
        public string HardwareId
        {
            get { return _hardwareId; }
        }

        /// <summary>
        /// Finishes what a power cut interrupted; call once at boot, before the console serves
        /// and before anything reads the lifecycle. A factory reset that switched the pointer
        /// off is completed; a commit that switched the pointer gets its lifecycle move; banks
        /// not in force and stale staged records (which may hold an old birth key) are erased.
        /// </summary>
        /// <exception cref="ProvisionedStoreException">The pointer is damaged, or the lifecycle refused the move.</exception>
        public void RecoverAfterBoot()
        {
            ActiveSetPointer pointer = _store.ReadPointer();
            if (pointer.ResetPending)
            {
                _log.Write("provisioning: finishing a factory reset interrupted by power loss");
                FinishFactoryReset(pointer);
                return;
            }

            EraseBanksExcept(pointer.Bank);
            for (int i = 0; i < ProvisioningRecords.Items.Length; i++)
            {
                StagedItems item = ProvisioningRecords.Items[i];
                byte[] record = new RecordStore(_flash, ProvisioningRecords.Staged(item)).Read();
                if (record != null && !IsCurrent(record, pointer.Generation))
                {
                    WipeAndErase(record, ProvisioningRecords.Staged(item));
                }
            }

            if (pointer.Bank != ProvisioningRecords.NoBank && _lifecycle.Current == LifecycleState.Unprovisioned)
            {
                _log.Write("provisioning: a commit completed before power loss; moving the lifecycle to Provisioned");
                MoveLifecycle(LifecycleState.Provisioned, "provisioning committed (completed after power loss)");
            }
        }

        /// <inheritdoc/>
        public DeviceInfo GetInfo()
        {
            ActiveSetPointer pointer = _store.ReadPointer();
            return new DeviceInfo(
                _hardwareId,
                _platform.BoardName,
                _facts.FirmwareVersion,
                _facts.GetFirmwareDigest(),
                _lifecycle.Current,
                IsLocked() ? ProvisioningLock.Locked : ProvisioningLock.Unlocked,
                _facts.SecureBoot,
                _facts.FlashEncryption,
                _facts.DebugPortsDisabled,
                StagedMask(pointer.Generation),
                _facts.ReworkMode);
        }

        /// <summary>Whether the lock flag is set.</summary>
        /// <returns>True when locked.</returns>
        public bool IsLocked()
        {
            byte[] flag = new RecordStore(_flash, ProvisioningRecords.LockFlag).Read();

            // Any intact record is a lock: a flag that decodes oddly must not read as unlocked.
            return flag != null;
        }

        /// <inheritdoc/>
        public void StageBirthCertificate(byte[] certificate)
        {
            Stage(StagedItems.BirthCertificate, certificate);
        }

        /// <inheritdoc/>
        public void StageBirthKey(byte[] privateKey)
        {
            try
            {
                Stage(StagedItems.BirthKey, privateKey);
            }
            finally
            {
                // The handler hands over its reassembly buffer: do not leave the key in RAM.
                if (privateKey != null)
                {
                    Array.Clear(privateKey, 0, privateKey.Length);
                }
            }
        }

        /// <inheritdoc/>
        public void StageTrustAnchors(TrustAnchorList anchors)
        {
            if (anchors == null)
            {
                throw new ArgumentNullException("anchors");
            }

            Stage(StagedItems.TrustAnchors, anchors.Encode());
        }

        /// <inheritdoc/>
        public void StageConfiguration(ProvisioningConfiguration configuration)
        {
            if (configuration == null)
            {
                throw new ArgumentNullException("configuration");
            }

            Stage(StagedItems.Configuration, configuration.Encode());
        }

        /// <inheritdoc/>
        public StagedDigests GetStagedDigests()
        {
            uint generation = _store.ReadPointer().Generation;
            byte[][] digests = new byte[ProvisioningRecords.Items.Length][];
            for (int i = 0; i < digests.Length; i++)
            {
                byte[] record = new RecordStore(_flash, ProvisioningRecords.Staged(ProvisioningRecords.Items[i])).Read();
                if (record == null || !IsCurrent(record, generation))
                {
                    digests[i] = new byte[0];
                    continue;
                }

                digests[i] = _store.Sha256(record, StagedHeaderLength, record.Length - StagedHeaderLength);
                Array.Clear(record, 0, record.Length);
            }

            return new StagedDigests(digests[0], digests[1], digests[2], digests[3]);
        }

        /// <inheritdoc/>
        /// <exception cref="ProvisionedStoreException">An item is not staged, the birth certificate names no device, or the lifecycle refused the move.</exception>
        public void Commit()
        {
            ActiveSetPointer pointer = _store.ReadPointer();
            byte[][] items = new byte[ProvisioningRecords.Items.Length][];
            try
            {
                for (int i = 0; i < items.Length; i++)
                {
                    items[i] = ReadStaged(ProvisioningRecords.Items[i], pointer.Generation);
                    if (items[i] == null)
                    {
                        throw new ProvisionedStoreException(ProvisionedStoreError.NothingStaged, "commit: " + ProvisioningRules.Names(ProvisioningRecords.Items[i]) + " is not staged");
                    }
                }

                // Checked before anything is written: a set whose certificate names no device
                // could never enrol, so it must not replace one that can.
                string deviceId = ProvisionedStore.DeviceIdOf(items[ProvisioningRecords.IndexOf(StagedItems.BirthCertificate)]);

                int target = pointer.Bank == ProvisioningRecords.BankA ? ProvisioningRecords.BankB : ProvisioningRecords.BankA;
                byte[][] digests = new byte[items.Length][];
                for (int i = 0; i < items.Length; i++)
                {
                    var record = new RecordStore(_flash, ProvisioningRecords.InBank(target, ProvisioningRecords.Items[i]));

                    // Leftovers of a commit cut short: start the bank clean so no older key lingers beside the new one.
                    record.Erase();
                    record.Write(items[i]);
                    digests[i] = _store.Sha256(items[i]);
                }

                // The switch: one record write, which a power cut leaves old or new.
                var next = new ActiveSetPointer(pointer.Generation + 1, target, digests, false);
                new RecordStore(_flash, ProvisioningRecords.Pointer).Write(next.Encode());
                _log.Write("provisioning: committed device " + deviceId + " (generation " + next.Generation.ToString() + ", bank " + BankName(target) + ")");

                // Tidying: everything below is repeated by RecoverAfterBoot if power goes now.
                EraseBanksExcept(target);
                EraseStaging();
                if (_lifecycle.Current != LifecycleState.Provisioned)
                {
                    MoveLifecycle(LifecycleState.Provisioned, "provisioning committed");
                }
            }
            finally
            {
                for (int i = 0; i < items.Length; i++)
                {
                    if (items[i] != null)
                    {
                        Array.Clear(items[i], 0, items[i].Length);
                    }
                }
            }
        }

        /// <inheritdoc/>
        public void Lock()
        {
            new RecordStore(_flash, ProvisioningRecords.LockFlag).Write(new byte[] { 1 });
            _log.Write("provisioning: locked");
        }

        /// <inheritdoc/>
        /// <exception cref="ProvisionedStoreException">The lifecycle refused the move to Unprovisioned (the reset finishes at the next boot's <see cref="RecoverAfterBoot"/> attempt).</exception>
        public void FactoryReset()
        {
            ActiveSetPointer pointer = _store.ReadPointer();

            // First the one atomic write that takes the identity out of force and marks the
            // reset as begun; a cut after it is finished by RecoverAfterBoot. The lock flag is
            // cleared last, so no cut leaves an unlocked device holding an identity.
            var resetting = new ActiveSetPointer(pointer.Generation + 1, ProvisioningRecords.NoBank, null, true);
            new RecordStore(_flash, ProvisioningRecords.Pointer).Write(resetting.Encode());
            _log.Write("provisioning: factory reset");
            FinishFactoryReset(resetting);
        }

        private void FinishFactoryReset(ActiveSetPointer resetting)
        {
            EraseBanksExcept(ProvisioningRecords.NoBank);
            EraseStaging();
            if (_lifecycle.Current != LifecycleState.Unprovisioned)
            {
                MoveLifecycle(LifecycleState.Unprovisioned, "factory reset");
            }

            new RecordStore(_flash, ProvisioningRecords.LockFlag).Erase();
            var done = new ActiveSetPointer(resetting.Generation, ProvisioningRecords.NoBank, null, false);
            new RecordStore(_flash, ProvisioningRecords.Pointer).Write(done.Encode());
        }

        private void Stage(StagedItems item, byte[] bytes)
        {
            if (bytes == null)
            {
                throw new ArgumentNullException("bytes");
            }

            uint generation = _store.ReadPointer().Generation;
            byte[] record = new byte[StagedHeaderLength + bytes.Length];
            record[0] = (byte)(generation >> 24);
            record[1] = (byte)(generation >> 16);
            record[2] = (byte)(generation >> 8);
            record[3] = (byte)generation;
            Array.Copy(bytes, 0, record, StagedHeaderLength, bytes.Length);
            try
            {
                var store = new RecordStore(_flash, ProvisioningRecords.Staged(item));

                // Replace, not add: the older staged copy (perhaps another key) goes first.
                store.Erase();
                store.Write(record);
            }
            finally
            {
                Array.Clear(record, 0, record.Length);
            }

            _log.Write("provisioning: staged " + ProvisioningRules.Names(item) + " (" + bytes.Length.ToString() + " bytes)");
        }

        private byte[] ReadStaged(StagedItems item, uint generation)
        {
            byte[] record = new RecordStore(_flash, ProvisioningRecords.Staged(item)).Read();
            if (record == null || !IsCurrent(record, generation))
            {
                return null;
            }

            byte[] bytes = new byte[record.Length - StagedHeaderLength];
            Array.Copy(record, StagedHeaderLength, bytes, 0, bytes.Length);
            Array.Clear(record, 0, record.Length);
            return bytes;
        }

        private StagedItems StagedMask(uint generation)
        {
            StagedItems staged = StagedItems.None;
            for (int i = 0; i < ProvisioningRecords.Items.Length; i++)
            {
                StagedItems item = ProvisioningRecords.Items[i];
                byte[] record = new RecordStore(_flash, ProvisioningRecords.Staged(item)).Read();
                if (record != null && IsCurrent(record, generation))
                {
                    staged |= item;
                }

                if (record != null)
                {
                    Array.Clear(record, 0, record.Length);
                }
            }

            return staged;
        }

        private static bool IsCurrent(byte[] record, uint generation)
        {
            if (record.Length <= StagedHeaderLength)
            {
                return false;
            }

            uint staged = ((uint)record[0] << 24) | ((uint)record[1] << 16) | ((uint)record[2] << 8) | record[3];
            return staged == generation;
        }

        private void EraseBanksExcept(int bankInForce)
        {
            for (int bank = ProvisioningRecords.BankA; bank <= ProvisioningRecords.BankB; bank++)
            {
                if (bank == bankInForce)
                {
                    continue;
                }

                for (int i = 0; i < ProvisioningRecords.Items.Length; i++)
                {
                    new RecordStore(_flash, ProvisioningRecords.InBank(bank, ProvisioningRecords.Items[i])).Erase();
                }
            }
        }

        private void EraseStaging()
        {
            for (int i = 0; i < ProvisioningRecords.Items.Length; i++)
            {
                new RecordStore(_flash, ProvisioningRecords.Staged(ProvisioningRecords.Items[i])).Erase();
            }
        }

        private void WipeAndErase(byte[] record, string name)
        {
            Array.Clear(record, 0, record.Length);
            new RecordStore(_flash, name).Erase();
        }

        private void MoveLifecycle(LifecycleState target, string reason)
        {
            LifecycleState from = _lifecycle.Current;
            if (!_lifecycle.TryMove(target, reason))
            {
                throw new ProvisionedStoreException(ProvisionedStoreError.LifecycleRefused, "the lifecycle refused the move from " + StateName(from) + " to " + StateName(target) + " (" + reason + ")");
            }
        }

        private static string BankName(int bank)
        {
            return bank == ProvisioningRecords.BankA ? "A" : "B";
        }

        private static string StateName(LifecycleState state)
        {
            switch (state)
            {
                case LifecycleState.Unprovisioned: return "Unprovisioned";
                case LifecycleState.Provisioned: return "Provisioned";
                case LifecycleState.Enrolled: return "Enrolled";
                case LifecycleState.Operating: return "Operating";
                case LifecycleState.Updating: return "Updating";
                case LifecycleState.Quarantined: return "Quarantined";
                case LifecycleState.Decommissioned: return "Decommissioned";
                default: return "state " + ((int)state).ToString();
            }
        }
    }
}
