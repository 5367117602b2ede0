using System;
using IoTSec.Gateway.Tpm.Esys;
using IoTSec.Gateway.Tpm.Interop;

namespace IoTSec.Gateway.Tpm;

/// <summary>Opens Esys contexts for one TCTI, turning a missing tpm2-tss or an unreachable TPM into a message that says what to do.</summary>
internal sealed class TpmConnection
{
    /// <summary>The Debian (bookworm) packages of the tpm2-tss libraries this adapter loads.</summary>
    public const string DebianPackages = "libtss2-esys-3.0.2-0 libtss2-mu0 libtss2-tctildr0 libtss2-rc0 libtss2-tcti-device0";

    static TpmConnection()
    {
        // tpm2-tss logs every TPM error response to stderr (a free persistent handle is an
        // "ERROR"); this adapter reports failures itself, with the decoded response code.
        // An operator who wants the TSS's own trace sets TSS2_LOG, which is left alone.
        LibC.SetEnv("TSS2_LOG", "all+none", overwrite: 0);
    }

    public TpmConnection(string tcti)
    {
        Tcti = tcti;
    }

    public string Tcti { get; }

    /// <exception cref="TpmUnavailableException">tpm2-tss is missing or the TPM does not answer.</exception>
    public EsysContext Open()
    {
        try
        {
            return EsysContext.Open(Tcti);
        }
        catch (DllNotFoundException e)
        {
            throw new TpmUnavailableException(
                $"tpm2-tss is not installed ({e.Message}); install the Debian packages {DebianPackages}", e);
        }
        catch (EntryPointNotFoundException e)
        {
            throw new TpmUnavailableException($"the installed tpm2-tss lacks a function this gateway needs ({e.Message})", e);
        }
        catch (TssException e)
        {
            var hint = Tcti.StartsWith("device:", StringComparison.Ordinal)
                ? " (is the TPM module enabled, e.g. dtoverlay=tpm-slb9670 in config.txt, and is the device readable by this user?)"
                : Tcti.StartsWith("tabrmd", StringComparison.Ordinal)
                    ? " (is tpm2-abrmd running and DBUS_SESSION_BUS_ADDRESS set for bus_type=session?)"
                    : string.Empty;
            throw new TpmUnavailableException($"cannot reach the TPM through TCTI \"{Tcti}\": {e.Message}{hint}", e);
        }
    }

    /// <summary>Flushes a transient handle without letting a failed flush hide the original error.</summary>
    public static void FlushQuietly(EsysContext esys, uint handle)
    {
        try
        {
            esys.Flush(handle);
        }
        catch (TssException)
        {
            // The object is gone already (or the connection is); the resource manager
            // flushes what a closed connection left behind.
        }
    }
}

/// <summary>The TPM could not be reached at all (library missing, device absent, daemon down).</summary>
public sealed class TpmUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TpmUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
