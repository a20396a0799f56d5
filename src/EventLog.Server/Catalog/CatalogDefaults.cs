namespace EventLog.Server.Catalog;

/// <summary>
/// The built-in catalog: Wok's async task messages and a few Kimchi/Wok request codes, and Cinder's user
/// message actions and details. Deployers add or override codes with a file.
/// </summary>
public static class CatalogDefaults
{
    /// <summary>The built-in catalog.</summary>
    public static CatalogFile Create() => new()
    {
        RequestMessages = new()
        {
            ["en"] = new()
            {
                ["WOKASYNC0001L"] = "Started {app} task ID {task_id}: {target_uri}",
                ["WOKASYNC0002L"] = "Failure on {app} task ID {task_id}: {target_uri}",
                ["WOKASYNC0003L"] = "Successfully completed {app} task ID {task_id}: {target_uri}",
                ["WOKASYNC0004L"] = "Cancelled {app} task ID {task_id}: {target_uri}",
                ["WOKUSER0001L"] = "User '{username}' login",
                ["WOKUSER0002L"] = "User '{username}' logout",
                ["KCHVM0001L"] = "Create virtual machine from template '{template}'",
                ["KCHVM0002L"] = "Delete virtual machine '{name}'",
                ["KCHVM0003L"] = "Start to clone vm '{name}'",
                ["KCHVM0004L"] = "Update virtual machine '{name}'",
                ["KCHVOL0001L"] = "Start to create storage volume '{name}' in pool '{pool}'",
                ["GGBUPDATE0001L"] = "Start to update the host software",
                ["WOKASYNC0001E"] = "Timeout of {seconds} seconds expired while running task '{target_uri}'",
                ["WOKASYNC0002E"] = "Unable to start task due error: {err}",
                ["KCHVM0001E"] = "failed to clone vm '{vm}'",
                ["KCHVM0002E"] = "Virtual machine '{name}' does not exist",
                ["KCHVOL0001E"] = "Storage volume '{name}' already exists",
                ["GGBUPDATE0001E"] = "Failed to update the host software: {err}",
            },
            ["pt-BR"] = new()
            {
                ["WOKASYNC0001L"] = "Iniciada a tarefa {app} de ID {task_id}: {target_uri}",
                ["WOKASYNC0002L"] = "Falha na tarefa {app} de ID {task_id}: {target_uri}",
                ["WOKASYNC0003L"] = "Concluída com sucesso a tarefa {app} de ID {task_id}: {target_uri}",
                ["WOKASYNC0004L"] = "Cancelada a tarefa {app} de ID {task_id}: {target_uri}",
                ["KCHVM0003L"] = "Iniciando a clonagem da vm '{name}'",
                ["KCHVM0001E"] = "falha ao clonar a vm '{vm}'",
            },
        },
        Actions = new()
        {
            ["en"] = new()
            {
                ["001"] = "schedule allocate volume",
                ["002"] = "attach volume",
                ["003"] = "copy volume to image",
                ["004"] = "update attachment",
                ["005"] = "copy image to volume",
                ["006"] = "unmanage volume",
                ["007"] = "extend volume",
                ["008"] = "create volume from backend storage",
                ["009"] = "snapshot create",
                ["010"] = "snapshot delete",
                ["011"] = "snapshot update",
                ["012"] = "snapshot metadata update",
                ["013"] = "create backup",
                ["014"] = "delete backup",
                ["015"] = "restore backup",
                ["016"] = "retype volume",
                ["017"] = "add volume to group",
            },
            ["zh-CN"] = new()
            {
                ["001"] = "调度分配卷",
                ["002"] = "附加卷",
                ["007"] = "扩展卷",
                ["009"] = "创建快照",
            },
        },
        Details = new()
        {
            ["en"] = new()
            {
                ["001"] = "An unknown error occurred.",
                ["002"] = "Driver is not initialized at present.",
                ["003"] = "Could not find any available weighted backend.",
                ["004"] = "Failed to upload volume to image at backend.",
                ["005"] = "Volume's attach mode is invalid.",
                ["006"] = "Not enough quota resource for operation.",
                ["007"] = "Image used for creating volume exceeds available space.",
                ["008"] = "Unmanaging encrypted volumes is not supported.",
                ["009"] = "Compute service failed to extend volume.",
                ["010"] = "Volume Driver failed to extend volume.",
                ["011"] = "Image signature verification failed.",
                ["012"] = "Driver failed to create the volume.",
                ["013"] = "Snapshot failed to create.",
                ["014"] = "Volume and group are not on the same backend.",
                ["015"] = "Volume is not in a state that allows the operation.",
            },
            ["zh-CN"] = new()
            {
                ["001"] = "发生未知错误。",
                ["002"] = "驱动程序目前尚未初始化。",
                ["003"] = "找不到任何可用的加权后端。",
                ["006"] = "没有足够的配额资源用于此操作。",
            },
        },
    };
}
