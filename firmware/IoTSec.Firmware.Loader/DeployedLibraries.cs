using System;

namespace IoTSec.Firmware.Loader
{
    /// <summary>
    /// Class libraries the application bundle needs but the loader does not call itself.
    /// Bundles carry only IoTSec assemblies; nanoFramework deploys the libraries a project's
    /// assembly references, so naming one type of each here makes the loader's deployment
    /// image carry them (the C# compiler drops references that no code mentions).
    /// </summary>
    /// <remarks>
    /// A bundle must be built against exactly these library versions (packages.config of both
    /// projects): nanoCLR matches assembly references by name and version, so a bundle built
    /// against other versions fails to load and is reverted as a failed trial boot.
    /// </remarks>
    internal static class DeployedLibraries
    {
        internal static readonly Type[] Anchors = new Type[]
        {
            typeof(System.Net.Security.SslStream),
            typeof(nanoFramework.M2Mqtt.MqttClient),
            typeof(System.IO.Ports.SerialPort),
            typeof(System.Threading.CancellationTokenSource),
        };
    }
}
