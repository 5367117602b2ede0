namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// The device's provisioning store, as <see cref="ProvisioningConsoleHandler"/> drives it:
    /// implemented by the firmware over its flash (staging area, active store, lock flag) and
    /// its platform (hardware id, hardening, rework strap). The handler decodes, checks the
    /// payloads and applies <see cref="ProvisioningRules"/> before calling; the target stores.
    /// </summary>
    /// <remarks>
    /// Staging is separate from the active store so that a commit can be atomic: a power cut
    /// in the middle of provisioning leaves the previous identity (or none) in force, never a
    /// mixture. An exception thrown by the target (a flash error) is answered with
    /// <see cref="Console.ConsoleStatus.InternalError"/> by the console session.
    /// </remarks>
    public interface IProvisioningTarget
    {
        /// <summary>The device's current identity, state and hardening, read fresh on each call.</summary>
        /// <returns>The state; <see cref="DeviceInfo.Staged"/> must reflect the staging area.</returns>
        DeviceInfo GetInfo();

        /// <summary>Stages the birth certificate, replacing a staged one.</summary>
        /// <param name="certificate">X.509 DER, checked by <see cref="ProvisioningPayloads.CheckBirthCertificate"/>; the target owns the array.</param>
        void StageBirthCertificate(byte[] certificate);

        /// <summary>Stages the birth key, replacing a staged one.</summary>
        /// <param name="privateKey">PKCS#8 DER, checked by <see cref="ProvisioningPayloads.CheckBirthKey"/>; the target owns the array and should clear it once stored.</param>
        void StageBirthKey(byte[] privateKey);

        /// <summary>Stages the trust anchors, replacing staged ones.</summary>
        /// <param name="anchors">The checked list; store <see cref="TrustAnchorList.Encode"/>, the exact bytes the tool sent.</param>
        void StageTrustAnchors(TrustAnchorList anchors);

        /// <summary>Stages the configuration, replacing a staged one.</summary>
        /// <param name="configuration">The checked configuration; store <see cref="ProvisioningConfiguration.Encode"/>, the exact bytes the tool sent.</param>
        void StageConfiguration(ProvisioningConfiguration configuration);

        /// <summary>SHA-256 of each staged item as stored (read back from the store, not remembered), null for an item not staged.</summary>
        /// <returns>The digests.</returns>
        StagedDigests GetStagedDigests();

        /// <summary>
        /// Makes the staged items the active identity, all at once (for example by writing the
        /// new set beside the old and then switching one pointer record), empties the staging
        /// area and moves the lifecycle to <see cref="LifecycleState.Provisioned"/>. Called only
        /// when <see cref="ProvisioningRules.CheckCommit"/> allowed it.
        /// </summary>
        void Commit();

        /// <summary>Sets the persistent lock flag. Called only when <see cref="ProvisioningRules.CheckLock"/> allowed it.</summary>
        void Lock();

        /// <summary>
        /// Erases the active and staged identity, key, trust anchors and configuration, clears
        /// the lock, and moves the lifecycle to <see cref="LifecycleState.Unprovisioned"/>. The
        /// firmware itself stays. Called only when the lock gate allowed it.
        /// </summary>
        void FactoryReset();
    }
}
