using System;
using IoTSec.Firmware.Platform;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Heartbeat;

namespace IoTSec.Firmware.Ota
{
    /// <summary>
    /// Chooses the slot to run at every boot: ONE ordered table over the persisted
    /// <see cref="SlotState"/>, the first matching row wins (MCUboot's boot_swap_tables; the
    /// table is reproduced in docs/firmware/ota-ab.md). The nanoFramework loader calls
    /// <see cref="Decide(IFlashStore)"/> before it loads anything.
    /// </summary>
    /// <remarks>
    /// <list type="table">
    /// <listheader><term>row</term><description>persisted flags → action</description></listheader>
    /// <item><term>1</term><description>no state record → NoImage</description></item>
    /// <item><term>2</term><description>pending, attempts &gt; 0, pending image matches its size and SHA-256 → write attempts-1 and trial-booted, RunTrial(pending)</description></item>
    /// <item><term>3</term><description>pending (attempts 0, or its image fails its check) → write: pending dropped, reverted, refusal TrialBootFailed; then as row 4</description></item>
    /// <item><term>4</term><description>active image matches its size and SHA-256 → RunActive(active)</description></item>
    /// <item><term>5</term><description>otherwise → NoImage</description></item>
    /// </list>
    /// <para>
    /// Every write happens before the image runs (attempts are spent before the trial, so a
    /// trial that hangs or crashes still uses one up) and is one record write, atomic under
    /// power loss. The confirmed image is checked at every boot, not only after an update: a
    /// slot damaged in the field is never run.
    /// </para>
    /// </remarks>
    public sealed class BootSelector
    {
        private readonly IFlashStore _flash;
        private readonly IDigestProvider _digests;

        /// <summary>Creates a selector.</summary>
        /// <param name="flash">The device's flash.</param>
        /// <param name="digests">SHA-256 for the image checks (the native one where the firmware has it).</param>
        public BootSelector(IFlashStore flash, IDigestProvider digests)
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

        /// <summary>Decides with the portable SHA-256 (what the loader calls).</summary>
        /// <param name="flash">The device's flash.</param>
        /// <returns>The decision.</returns>
        public static BootDecision Decide(IFlashStore flash)
        {
            return new BootSelector(flash, PortableDigests.Instance).Decide();
        }

        /// <summary>Runs the table, writing the flags the chosen row changes before returning.</summary>
        /// <returns>The decision.</returns>
        public BootDecision Decide()
        {
            SlotState state;
            try
            {
                state = SlotState.Read(_flash);
            }
            catch (FlashException ex)
            {
                return new BootDecision(BootAction.NoImage, FirmwareSlot.A, null, 1, "the slot state cannot be read: " + ex.Message);
            }

            if (state == null)
            {
                return new BootDecision(BootAction.NoImage, FirmwareSlot.A, null, 1, "no image was ever installed");
            }

            bool reverted = false;
            string revertReason = null;
            if (state.PendingImage != null)
            {
                bool pendingIntact = ImageCheck.Matches(_flash, SlotNames.FileOf(state.PendingSlot), state.PendingImage, _digests);
                if (state.TrialAttemptsLeft > 0 && pendingIntact)
                {
                    SlotState trial = state.Clone();
                    trial.TrialAttemptsLeft = state.TrialAttemptsLeft - 1;
                    trial.TrialBooted = true;
                    trial.Write(_flash);
                    return new BootDecision(
                        BootAction.RunTrial,
                        state.PendingSlot,
                        state.PendingImage,
                        2,
                        "trial boot of " + state.PendingImage.Version + " in slot " + SlotNames.NameOf(state.PendingSlot) + ", " + trial.TrialAttemptsLeft.ToString() + " attempts left after this one");
                }

                SlotState revert = state.Clone();
                revert.PendingImage = null;
                revert.TrialAttemptsLeft = 0;
                revert.TrialBooted = false;
                revert.UpdateReverted = true;
                revert.LastRefusal = RefusalCode.TrialBootFailed;
                revert.Write(_flash);
                state = revert;
                reverted = true;
                revertReason = pendingIntact ? "the trial image never confirmed" : "the pending image no longer matches its digest";
            }

            if (state.ActiveImage != null && ImageCheck.Matches(_flash, SlotNames.FileOf(state.ActiveSlot), state.ActiveImage, _digests))
            {
                return new BootDecision(
                    reverted ? BootAction.RevertAndRunActive : BootAction.RunActive,
                    state.ActiveSlot,
                    state.ActiveImage,
                    reverted ? 3 : 4,
                    (reverted ? revertReason + "; reverted to " : "confirmed image ") + state.ActiveImage.Version + " in slot " + SlotNames.NameOf(state.ActiveSlot));
            }

            return new BootDecision(
                BootAction.NoImage,
                state.ActiveSlot,
                null,
                5,
                state.ActiveImage == null ? "no confirmed image" : "the confirmed image in slot " + SlotNames.NameOf(state.ActiveSlot) + " fails its size or digest check");
        }
    }
}
