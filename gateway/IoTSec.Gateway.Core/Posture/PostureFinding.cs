namespace IoTSec.Gateway.Core.Posture;

/// <summary>A verdict with the code of the finding behind it and a sentence for people (no secrets, no payload).</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Reason">A stable code from <see cref="AlertCodes"/>.</param>
/// <param name="Detail">What was found, in words.</param>
public sealed record PostureFinding(PostureVerdict Verdict, string Reason, string Detail)
{
    /// <summary>Nothing to report.</summary>
    public static PostureFinding Healthy { get; } = new(PostureVerdict.Healthy, AlertCodes.HeartbeatOk, "heartbeat verified, posture compliant");
}
