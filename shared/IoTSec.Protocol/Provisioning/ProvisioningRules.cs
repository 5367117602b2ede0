using IoTSec.Protocol.Console;

namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// The provisioning rules every device enforces, in one place (docs/protocols/console.md,
    /// "Rules"). <see cref="ProvisioningConsoleHandler"/> applies them before it calls the
    /// device's <see cref="IProvisioningTarget"/>; a target may apply them again as a second
    /// line of defence. They are portable on purpose: a firmware cannot forget one, and the
    /// tests check them against the same code that runs on the device.
    /// </summary>
    /// <remarks>
    /// The order in which the handler applies them, and so which refusal a request that breaks
    /// several gets: (1) the lock gate, before the payload is even decoded, so a locked device
    /// answers <see cref="ConsoleStatus.Locked"/> to every write whatever it holds; (2) the
    /// payload (<see cref="ConsoleStatus.BadPayload"/>), including the hardware-id
    /// confirmation; (3) the state rules (<see cref="ConsoleStatus.NotStaged"/>).
    /// </remarks>
    public static class ProvisioningRules
    {
        /// <summary>What a commit requires staged: all four items. A device without any one of them could not enrol or could not update.</summary>
        public const StagedItems RequiredForCommit = StagedItems.All;

        /// <summary>
        /// The lock gate. A locked device answers Hello, Info and ReadBack, and refuses every
        /// write, Commit, Lock and FactoryReset with <see cref="ConsoleStatus.Locked"/> — except
        /// FactoryReset when the board was booted with its rework strap held
        /// (<see cref="DeviceInfo.ReworkMode"/>), the one physical way back.
        /// </summary>
        /// <param name="command">The command.</param>
        /// <param name="info">The device's current state.</param>
        /// <param name="refusal">Why it was refused, or empty.</param>
        /// <returns><see cref="ConsoleStatus.Ok"/> or <see cref="ConsoleStatus.Locked"/>.</returns>
        public static ConsoleStatus CheckLockGate(ConsoleCommand command, DeviceInfo info, out string refusal)
        {
            refusal = string.Empty;
            if (info.Lock != ProvisioningLock.Locked)
            {
                return ConsoleStatus.Ok;
            }

            switch (command)
            {
                case ConsoleCommand.Hello:
                case ConsoleCommand.Info:
                case ConsoleCommand.ReadBack:
                    return ConsoleStatus.Ok;
                case ConsoleCommand.FactoryReset:
                    if (info.ReworkMode)
                    {
                        return ConsoleStatus.Ok;
                    }

                    refusal = "provisioning is locked: a factory reset needs the board's rework strap held while it boots";
                    return ConsoleStatus.Locked;
                default:
                    refusal = "provisioning is locked: " + ConsoleNames.Command((byte)command) + " is refused";
                    return ConsoleStatus.Locked;
            }
        }

        /// <summary>
        /// Checks the hardware id a Lock or FactoryReset request names against the device's own,
        /// so a tool that opened the wrong port (or kept a stale device list) cannot lock or
        /// wipe a device it does not mean.
        /// </summary>
        /// <param name="info">The device's current state.</param>
        /// <param name="hardwareId">The hardware id in the request.</param>
        /// <exception cref="ProvisioningPayloadException"><see cref="ProvisioningPayloadError.HardwareIdMismatch"/>.</exception>
        public static void CheckConfirmation(DeviceInfo info, string hardwareId)
        {
            if (!string.Equals(info.HardwareId, hardwareId))
            {
                throw new ProvisioningPayloadException(
                    ProvisioningPayloadError.HardwareIdMismatch,
                    "the request names hardware id \"" + ProvisioningText.Printable(hardwareId, 64) + "\" but this device is \"" + info.HardwareId + "\"");
            }
        }

        /// <summary>
        /// Commit requires every item staged (<see cref="RequiredForCommit"/>) and no chunked
        /// write half done (committing then would activate the previously staged version of
        /// an item the tool is replacing).
        /// </summary>
        /// <param name="info">The device's current state.</param>
        /// <param name="transferInProgress">The item of an incomplete chunked write, or None.</param>
        /// <param name="missing">The required items not staged.</param>
        /// <param name="refusal">Why it was refused, or empty.</param>
        /// <returns><see cref="ConsoleStatus.Ok"/>, <see cref="ConsoleStatus.Locked"/> or <see cref="ConsoleStatus.NotStaged"/>.</returns>
        public static ConsoleStatus CheckCommit(DeviceInfo info, StagedItems transferInProgress, out StagedItems missing, out string refusal)
        {
            missing = (StagedItems)((int)RequiredForCommit & ~(int)info.Staged);
            ConsoleStatus gate = CheckLockGate(ConsoleCommand.Commit, info, out refusal);
            if (gate != ConsoleStatus.Ok)
            {
                return gate;
            }

            if (missing != StagedItems.None)
            {
                refusal = "commit needs " + Names(missing) + " staged";
                return ConsoleStatus.NotStaged;
            }

            if (transferInProgress != StagedItems.None)
            {
                refusal = "a chunked write of " + Names(transferInProgress) + " is incomplete: finish or restart it before commit";
                return ConsoleStatus.NotStaged;
            }

            return ConsoleStatus.Ok;
        }

        /// <summary>
        /// Lock requires a committed identity (lifecycle past Unprovisioned), nothing staged
        /// and no transfer in progress: once locked, nothing staged could ever be committed,
        /// and a device locked without an identity could only be recovered at the rework bench.
        /// </summary>
        /// <param name="info">The device's current state.</param>
        /// <param name="transferInProgress">The item of an incomplete chunked write, or None.</param>
        /// <param name="refusal">Why it was refused, or empty.</param>
        /// <returns><see cref="ConsoleStatus.Ok"/>, <see cref="ConsoleStatus.Locked"/> or <see cref="ConsoleStatus.NotStaged"/>.</returns>
        public static ConsoleStatus CheckLock(DeviceInfo info, StagedItems transferInProgress, out string refusal)
        {
            ConsoleStatus gate = CheckLockGate(ConsoleCommand.Lock, info, out refusal);
            if (gate != ConsoleStatus.Ok)
            {
                return gate;
            }

            if (info.Lifecycle == LifecycleState.Unprovisioned)
            {
                refusal = "nothing is committed: write and commit the identity before locking";
                return ConsoleStatus.NotStaged;
            }

            if (info.Staged != StagedItems.None || transferInProgress != StagedItems.None)
            {
                refusal = Names((StagedItems)((int)info.Staged | (int)transferInProgress)) + " staged but not committed: commit (or factory reset) before locking";
                return ConsoleStatus.NotStaged;
            }

            return ConsoleStatus.Ok;
        }

        /// <summary>ReadBack needs at least one item staged; it reports the ones that are.</summary>
        /// <param name="digests">The target's digests.</param>
        /// <param name="refusal">Why it was refused, or empty.</param>
        /// <returns><see cref="ConsoleStatus.Ok"/> or <see cref="ConsoleStatus.NotStaged"/>.</returns>
        public static ConsoleStatus CheckReadBack(StagedDigests digests, out string refusal)
        {
            if (digests == null || digests.Present == StagedItems.None)
            {
                refusal = "nothing is staged";
                return ConsoleStatus.NotStaged;
            }

            refusal = string.Empty;
            return ConsoleStatus.Ok;
        }

        /// <summary>Names a set of items, e.g. "birth key, configuration".</summary>
        /// <param name="items">The items.</param>
        /// <returns>Their names, comma-separated ("nothing" for none).</returns>
        public static string Names(StagedItems items)
        {
            string names = string.Empty;
            names = Append(names, items, StagedItems.BirthCertificate, "birth certificate");
            names = Append(names, items, StagedItems.BirthKey, "birth key");
            names = Append(names, items, StagedItems.TrustAnchors, "trust anchors");
            names = Append(names, items, StagedItems.Configuration, "configuration");
            return names.Length == 0 ? "nothing" : names;
        }

        private static string Append(string names, StagedItems items, StagedItems item, string name)
        {
            if (((int)items & (int)item) == 0)
            {
                return names;
            }

            return names.Length == 0 ? name : names + ", " + name;
        }
    }
}
