namespace IoTSec.Gateway.Core.Keys;

/// <summary>
/// Keeps small secrets (the gateway secret from which per-device heartbeat keys are
/// derived) so that only this gateway, in an untampered state, can read them back. The TPM
/// backend seals to a policy on PCR 23, which the tamper response extends; the software
/// backend encrypts under a 0600 key file.
/// </summary>
public interface ISecretSealer
{
    /// <summary>True when a sealed secret named <paramref name="name"/> exists.</summary>
    bool Exists(string name);

    /// <summary>Seals <paramref name="secret"/> under <paramref name="name"/>, replacing any previous one.</summary>
    void Seal(string name, byte[] secret);

    /// <summary>Returns the secret.</summary>
    /// <exception cref="SecretSealedException">The policy is not met (tampered, not re-armed) or the blob is damaged.</exception>
    byte[] Unseal(string name);

    /// <summary>Marks the gateway as tampered (TPM: extends PCR 23); secrets stay sealed until <see cref="Rearm"/>.</summary>
    void MarkTampered();

    /// <summary>An operator's re-arm after inspecting the enclosure (TPM: resets PCR 23).</summary>
    void Rearm();
}
