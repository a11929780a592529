import { ElMessage, ElMessageBox } from 'element-plus'
import { api, asError } from '../api'

/**
 * Ask where to save an exported file (a full path, suggested in the export
 * folder), then write it; existing files are never overwritten.
 */
export async function saveAs(fileName: string, write: (path: string) => Promise<string>) {
  let path: string
  try {
    const dir = await api.defaultExportDir()
    const answer = await ElMessageBox.prompt('保存到（完整路径；已有文件不会被覆盖）', '导出', {
      inputValue: `${dir}/${fileName}`,
      confirmButtonText: '导出',
      cancelButtonText: '取消',
    })
    path = answer.value
  } catch {
    return
  }
  try {
    const written = await write(path)
    ElMessage.success({ message: `已导出：${written}`, duration: 6000 })
  } catch (e) {
    ElMessage.error({ message: asError(e).message, duration: 8000 })
  }
}
