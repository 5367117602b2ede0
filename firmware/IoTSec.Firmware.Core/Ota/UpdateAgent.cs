using System;
using IoTSec.Firmware.Lifecycle;
using IoTSec.Firmware.Platform;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Manifest;
using IoTSec.Protocol.Provisioning;
using IoTSec.Firmware.Storage;

namespace IoTSec.Firmware.Ota
{
    /// <summary>
    /// Installs an OTA offer into the inactive slot: verify the signed manifest, check room,
    /// download in chunks with resume and a streaming SHA-256, verify size and digest, mark
    /// the slot pending and reboot into a trial; later <see cref="Confirm"/> makes the trial
    /// image permanent and advances the anti-rollback counter (docs/firmware/ota-ab.md).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Every refusal stores its own <see cref="RefusalCode"/> in the slot state
    /// (<see cref="OtaStatus.LastRefusal"/>, which the next heartbeat reports) and never
    /// touches the active slot: the agent writes only the slot that is neither active nor
    /// pending, and only after the manifest verified and the room was checked.
    /// </para>
    /// <para>
    /// Power loss: the download record (<see cref="DownloadRecord"/>) is written before the
    /// first byte of the image, and the slot is marked pending in one record write after the
    /// digest matched; a cut anywhere leaves either the old state or a download that
    /// <see cref="ResumeAfterBoot"/> continues from the slot file's length (the bytes already
    /// there are hashed again, so the digest still covers the whole image).
    /// </para>
    /// </remarks>
    public sealed class UpdateAgent
    {
        private readonly IFlashStore _flash;
        private readonly IDevicePlatform _platform;
        private readonly IDeviceClock _clock;
        private readonly IFirmwareSource _source;
        private readonly ManifestVerifier _verifier;
        private readonly UpdateAgentSettings _settings;
        private readonly IDeviceLifecycle _lifecycle;
        private readonly IDeviceLog _log;

        /// <summary>Creates the agent.</summary>
        /// <param name="flash">The device's flash.</param>
        /// <param name="platform">Digests and reboot.</param>
        /// <param name="clock">The monotonic clock (for the confirm deadline).</param>
        /// <param name="source">Where image bytes come from (HTTP ranges over mutual TLS).</param>
        /// <param name="trustAnchors">The provisioned trust anchors: their OTA signing keys verify manifests.</param>
        /// <param name="settings">Vendor and class ids, slot capacity, chunk size, trial attempts, confirm deadline.</param>
        /// <param name="lifecycle">Moved to Updating while an update is in flight and back to Operating after; null to leave it alone.</param>
        /// <param name="log">Diagnostic log; null for none.</param>
        public UpdateAgent(
            IFlashStore flash,
            IDevicePlatform platform,
            IDeviceClock clock,
            IFirmwareSource source,
            TrustAnchorList trustAnchors,
            UpdateAgentSettings settings,
            IDeviceLifecycle lifecycle,
            IDeviceLog log)
        {
            if (flash == null)
            {
                throw new ArgumentNullException("flash");
            }

            if (platform == null)
            {
                throw new ArgumentNullException("platform");
            }

            if (clock == null)
            {
                throw new ArgumentNullException("clock");
            }

            if (source == null)
            {
                throw new ArgumentNullException("source");
            }

            if (settings == null)
            {
                throw new ArgumentNullException("settings");
            }

            settings.Check();
            _flash = flash;
            _platform = platform;
            _clock = clock;
            _source = source;
            _verifier = new ManifestVerifier(OtaKeys.From(trustAnchors), platform.Digests);
            _settings = settings;
            _lifecycle = lifecycle;
            _log = log;
        }

        /// <summary>True when the running image is an unconfirmed trial.</summary>
        public bool TrialRunning
        {
            get
            {
                SlotState state = SlotState.Read(_flash);
                return state != null && state.TrialRunning;
            }
        }

        /// <summary>
        /// Handles an OTA offer: verifies <paramref name="envelope"/>, then downloads
        /// <paramref name="resource"/> into the inactive slot (resuming a download of the same
        /// envelope), verifies it, marks it pending and reboots.
        /// </summary>
        /// <param name="envelope">The signed manifest (COSE_Sign1) the offer pointed to.</param>
        /// <param name="resource">The application bundle's path on the gateway's OTA port (ASCII, starts with '/').</param>
        /// <param name="trustedTime">Unix seconds from the gateway's last acknowledgement plus elapsed time, or <see cref="ManifestDeviceContext.NoTrustedTime"/>.</param>
        /// <returns>What happened; on <see cref="OfferOutcome.Installed"/> the platform was asked to reboot.</returns>
        /// <exception cref="FlashException">The flash failed outside the inactive slot (the slot state or a record cannot be read or written).</exception>
        public OfferOutcome Offer(byte[] envelope, string resource, long trustedTime)
        {
            if (envelope == null)
            {
                throw new ArgumentNullException("envelope");
            }

            CheckResource(resource);
            SlotState state = SlotState.Read(_flash);
            if (state == null || state.ActiveImage == null)
            {
                return OfferOutcome.NoInstalledImage;
            }

            if (state.PendingImage != null)
            {
                Log("ota: offer deferred, the image in slot " + SlotNames.NameOf(state.PendingSlot) + " is not confirmed yet");
                return OfferOutcome.Busy;
            }

            DownloadRecord record = DownloadRecord.Read(_flash);
            bool sameAsRecord = record != null && ByteArrays.AreEqual(record.Envelope, envelope);
            OtaManifest manifest;
            try
            {
                ManifestDeviceContext context = new ManifestDeviceContext(
                    _settings.VendorId,
                    _settings.ClassId,
                    state.SecurityCounter,
                    state.ActiveImage.Version,
                    trustedTime < 0 ? ManifestDeviceContext.NoTrustedTime : trustedTime,
                    _settings.SlotCapacity,
                    0);
                manifest = _verifier.Verify(envelope, context);
            }
            catch (ManifestRejectedException ex)
            {
                // No trusted time is transient (right after a reboot, before the first
                // acknowledgement): a download in progress keeps its bytes for the next try.
                bool transient = ex.Reason == ManifestRejection.NoTrustedTime;
                return Refuse(state, RefusalCode.FromManifestRejection((int)ex.Reason), ex.Message, sameAsRecord && !transient, sameAsRecord ? record.Target : state.ActiveSlot);
            }

            ManifestComponent component = manifest.GetComponent(0);
            if (manifest.FirmwareVersion.Length > InstalledImage.MaxVersionLength)
            {
                return Refuse(state, RefusalCode.FromManifestRejection((int)ManifestRejection.Malformed), "the firmware version is longer than " + InstalledImage.MaxVersionLength.ToString() + " characters", sameAsRecord, sameAsRecord ? record.Target : state.ActiveSlot);
            }

            if (SemanticVersion.Parse(manifest.FirmwareVersion).CompareTo(SemanticVersion.Parse(state.ActiveImage.Version)) == 0)
            {
                return Refuse(state, RefusalCode.AlreadyRunning, "release " + manifest.FirmwareVersion + " is the running version", sameAsRecord, sameAsRecord ? record.Target : state.ActiveSlot);
            }

            FirmwareSlot target = SlotNames.Other(state.ActiveSlot);
            string file = SlotNames.FileOf(target);
            long existing = _flash.GetLength(file);
            bool resume = sameAsRecord && record.Target == target && string.Equals(record.Resource, resource) && existing >= 0 && existing <= component.Size;
            long written = resume ? existing : 0;

            // Room is checked before the first byte is written: the inactive slot's old file is
            // freed by the download, the records need their reserve.
            long free = _flash.FreeBytes + (resume || existing < 0 ? 0 : existing);
            if (component.Size - written + _settings.FlashReserveBytes > free)
            {
                return Refuse(
                    state,
                    RefusalCode.FromManifestRejection((int)ManifestRejection.TooLarge),
                    "the image needs " + (component.Size - written).ToString() + " bytes, the flash has " + free.ToString() + " free with " + _settings.FlashReserveBytes.ToString() + " reserved",
                    sameAsRecord, sameAsRecord ? record.Target : state.ActiveSlot);
            }

            if (resume)
            {
                Log("ota: resuming " + manifest.FirmwareVersion + " into slot " + SlotNames.NameOf(target) + " at byte " + written.ToString());
            }
            else
            {
                // Delete before the record is written: a resumed download must never append to
                // the previous image that the inactive slot still held.
                _flash.Delete(file);
                new DownloadRecord(target, resource, envelope).Write(_flash);
                MoveLifecycle(LifecycleState.Updating, "downloading " + manifest.FirmwareVersion);
                Log("ota: downloading " + manifest.FirmwareVersion + " (" + component.Size.ToString() + " bytes) into slot " + SlotNames.NameOf(target));
            }

            return Download(state, manifest, component, target, resource, written);
        }

        /// <summary>
        /// At boot, after the boot selector: continues a download a reboot interrupted, drops a
        /// record the last boot already completed, and takes the lifecycle out of Updating when
        /// no update is in flight any more.
        /// </summary>
        /// <param name="trustedTime">As for <see cref="Offer"/> (the manifest is verified again).</param>
        /// <returns><see cref="OfferOutcome.Idle"/> when there was nothing to resume, else as <see cref="Offer"/>.</returns>
        public OfferOutcome ResumeAfterBoot(long trustedTime)
        {
            SlotState state = SlotState.Read(_flash);
            DownloadRecord record = DownloadRecord.Read(_flash);
            if (record != null && state != null && state.ActiveImage != null
                && (record.Target == state.ActiveSlot || (state.PendingImage != null && record.Target == state.PendingSlot)))
            {
                // Finished before the cut (the slot is pending or already confirmed): only the record is left over.
                DownloadRecord.Erase(_flash);
                record = null;
            }

            if (record == null)
            {
                if (_lifecycle != null && _lifecycle.Current == LifecycleState.Updating && (state == null || state.PendingImage == null))
                {
                    MoveLifecycle(LifecycleState.Operating, "no update in flight after boot");
                }

                return OfferOutcome.Idle;
            }

            return Offer(record.Envelope, record.Resource, trustedTime);
        }

        /// <summary>
        /// Makes the running trial image permanent and advances the anti-rollback counter to its
        /// sequence number, in one record write. The application calls it once the new firmware
        /// has enrolled and had a heartbeat acknowledged, before the confirm deadline.
        /// </summary>
        /// <returns>False when no trial image is running (nothing changes).</returns>
        public bool Confirm()
        {
            SlotState state = SlotState.Read(_flash);
            if (state == null || !state.TrialRunning)
            {
                return false;
            }

            SlotState confirmed = state.Clone();
            confirmed.ActiveSlot = state.PendingSlot;
            confirmed.ActiveImage = state.PendingImage;
            if (state.PendingImage.SequenceNumber > confirmed.SecurityCounter)
            {
                confirmed.SecurityCounter = state.PendingImage.SequenceNumber;
            }

            confirmed.PendingImage = null;
            confirmed.TrialAttemptsLeft = 0;
            confirmed.TrialBooted = false;
            confirmed.UpdateReverted = false;
            confirmed.Write(_flash);
            DownloadRecord.Erase(_flash);
            Log("ota: confirmed " + confirmed.ActiveImage.Version + " in slot " + SlotNames.NameOf(confirmed.ActiveSlot) + ", security counter " + confirmed.SecurityCounter.ToString());
            MoveLifecycle(LifecycleState.Operating, "update confirmed");
            return true;
        }

        /// <summary>
        /// Call periodically during a trial boot: past the confirm deadline an unconfirmed trial
        /// reboots, so that the boot selector spends an attempt or reverts.
        /// </summary>
        /// <returns>False when no trial is running or the deadline has not passed (on hardware a passed deadline does not return).</returns>
        public bool CheckTrialDeadline()
        {
            if (_clock.MillisecondsSinceBoot < _settings.ConfirmDeadlineMs || !TrialRunning)
            {
                return false;
            }

            Log("ota: the trial image did not confirm within " + _settings.ConfirmDeadlineMs.ToString() + " ms; rebooting");
            _platform.Reboot();
            return true;
        }

        private OfferOutcome Download(SlotState state, OtaManifest manifest, ManifestComponent component, FirmwareSlot target, string resource, long written)
        {
            string file = SlotNames.FileOf(target);
            using (ComponentDigestCheck check = new ComponentDigestCheck(component, _platform.Digests))
            {
                byte[] buffer = new byte[_settings.ChunkSize];
                long position = 0;
                while (position < written)
                {
                    // The bytes already in the slot are hashed again: the hash state did not survive the reboot.
                    int wanted = written - position > buffer.Length ? buffer.Length : (int)(written - position);
                    int read = _flash.Read(file, position, buffer, 0, wanted);
                    if (read <= 0)
                    {
                        throw new FlashException("the slot file " + file + " is shorter than its length says");
                    }

                    check.Update(buffer, 0, read);
                    position += read;
                }

                while (true)
                {
                    int read;
                    try
                    {
                        // Not clamped to the remaining size: a resource longer than signed shows
                        // up as surplus bytes, refused before they are written.
                        read = _source.ReadRange(resource, position, buffer, 0, buffer.Length);
                    }
                    catch (NetworkException ex)
                    {
                        RecordRefusal(state, RefusalCode.DownloadFailed);
                        Log("ota: download interrupted at byte " + position.ToString() + ": " + ex.Message);
                        return OfferOutcome.Interrupted;
                    }

                    if (read <= 0)
                    {
                        break;
                    }

                    if (read > buffer.Length)
                    {
                        return Refuse(state, RefusalCode.DownloadFailed, "the source returned more bytes than asked", true, target);
                    }

                    try
                    {
                        check.Update(buffer, 0, read);
                    }
                    catch (ManifestRejectedException ex)
                    {
                        return Refuse(state, RefusalCode.ComponentSizeMismatch, ex.Message, true, target);
                    }

                    try
                    {
                        _flash.Write(file, position, buffer, 0, read);
                    }
                    catch (FlashException ex)
                    {
                        return Refuse(state, RefusalCode.SlotWriteFailed, ex.Message, true, target);
                    }

                    position += read;
                }

                try
                {
                    check.Complete();
                }
                catch (ManifestRejectedException ex)
                {
                    uint code = ex.Reason == ManifestRejection.DigestMismatch ? RefusalCode.ComponentDigestMismatch : RefusalCode.ComponentSizeMismatch;
                    return Refuse(state, code, ex.Message, true, target);
                }
            }

            SlotState pending = state.Clone();
            pending.PendingSlot = target;
            pending.PendingImage = new InstalledImage(manifest.SequenceNumber, manifest.FirmwareVersion, component.Size, component.GetDigest());
            pending.TrialAttemptsLeft = _settings.TrialAttempts;
            pending.TrialBooted = false;
            pending.UpdateReverted = false;
            pending.Write(_flash);
            DownloadRecord.Erase(_flash);
            Log("ota: " + manifest.FirmwareVersion + " verified in slot " + SlotNames.NameOf(target) + "; rebooting into its trial");
            _platform.Reboot();
            return OfferOutcome.Installed;
        }

        private OfferOutcome Refuse(SlotState state, uint code, string detail, bool dropDownload, FirmwareSlot target)
        {
            Log("ota: refused (0x" + code.ToString("X4") + "): " + detail);
            RecordRefusal(state, code);
            if (dropDownload)
            {
                // The refused download is dropped with its partial image. Only the slot that is
                // neither active nor pending is ever deleted.
                bool inUse = (state.ActiveImage != null && target == state.ActiveSlot) || (state.PendingImage != null && target == state.PendingSlot);
                if (!inUse)
                {
                    _flash.Delete(SlotNames.FileOf(target));
                }

                DownloadRecord.Erase(_flash);
                MoveLifecycle(LifecycleState.Operating, "update refused");
            }

            return OfferOutcome.Refused;
        }

        private void RecordRefusal(SlotState state, uint code)
        {
            if (state.LastRefusal == code)
            {
                return;
            }

            SlotState refused = state.Clone();
            refused.LastRefusal = code;
            refused.Write(_flash);
            state.LastRefusal = code;
        }

        private void MoveLifecycle(LifecycleState target, string reason)
        {
            if (_lifecycle != null && _lifecycle.Current != target)
            {
                _lifecycle.TryMove(target, reason);
            }
        }

        private static void CheckResource(string resource)
        {
            if (resource == null || resource.Length == 0 || resource.Length > DownloadRecord.MaxResourceLength || resource[0] != '/' || OtaBytes.AsciiBytes(resource) == null)
            {
                throw new ArgumentException("a resource is 1 to " + DownloadRecord.MaxResourceLength.ToString() + " printable ASCII characters starting with '/'", "resource");
            }
        }

        private void Log(string message)
        {
            if (_log != null)
            {
                _log.Write(message);
            }
        }
    }
}
