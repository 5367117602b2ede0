namespace IoTSec.Gateway.Core.Tamper;

/// <summary>What the gateway knows about its enclosure; the status LED shows it.</summary>
public enum TamperPhase
{
    /// <summary>The switch has not been read yet (LED: slow blink). Issuance is refused: default deny.</summary>
    Starting = 0,

    /// <summary>The enclosure is closed and no tamper event is outstanding (LED: steady).</summary>
    Armed = 1,

    /// <summary>The enclosure was opened since the last re-arm (LED: fast blink). Issuance stays stopped.</summary>
    Tampered = 2,
}
