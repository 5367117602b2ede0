using System;
using IoTSec.Gateway.Tpm.Interop;

namespace IoTSec.Gateway.Tpm.Esys;

/// <summary>A tpm2-tss call failed; carries the TSS2_RC and its decoded text.</summary>
internal sealed class TssException : Exception
{
    /// <summary>TPM_RC_VALUE: a parameter is out of range or not correct for the context.</summary>
    public const uint TpmRcValue = 0x084;

    /// <summary>TPM_RC_HANDLE: the handle does not refer to an object (a persistent handle that is free).</summary>
    public const uint TpmRcHandle = 0x08B;

    /// <summary>TPM_RC_POLICY_FAIL: the policy session's digest does not match the object's policy.</summary>
    public const uint TpmRcPolicyFail = 0x09D;

    /// <summary>TPM_RC_INTEGRITY: a blob was not made by this TPM under this parent (or was altered).</summary>
    public const uint TpmRcIntegrity = 0x09F;

    /// <summary>TPM_RC_NV_DEFINED: a persistent handle is already in use (EvictControl).</summary>
    public const uint TpmRcNvDefined = 0x14C;

    /// <summary>TSS2_RESMGR_TPM_RC_LAYER: TPM codes relayed by a resource manager.</summary>
    private const uint ResourceManagerTpmLayer = 12u << 16;

    public TssException(string operation, uint responseCode)
        : base($"{operation} failed: {Tss2Rc.Decode(responseCode)} (0x{responseCode:x})")
    {
        Operation = operation;
        ResponseCode = responseCode;
    }

    public string Operation { get; }

    public uint ResponseCode { get; }

    /// <summary>
    /// True when the TPM answered with <paramref name="tpmRc"/>; the handle, session or
    /// parameter number that format-one codes carry is ignored.
    /// </summary>
    public bool IsTpmError(uint tpmRc)
    {
        var layer = ResponseCode & 0xFFFF_0000;
        if (layer != 0 && layer != ResourceManagerTpmLayer)
        {
            return false;
        }

        var code = ResponseCode & 0xFFFF;
        return (code & 0x80) != 0 ? (code & 0xBF) == tpmRc : code == tpmRc;
    }

    public static void ThrowIfFailed(string operation, uint responseCode)
    {
        if (responseCode != 0)
        {
            throw new TssException(operation, responseCode);
        }
    }
}
