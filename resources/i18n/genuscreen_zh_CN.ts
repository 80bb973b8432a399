<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About GenuScreen</source>
        <translation>关于 GenuScreen</translation>
    </message>
    <message>
        <source>Screening support for knock-knees (genu valgum) in children, from a video of the child walking toward a camera. Everything runs on this computer; nothing leaves it.</source>
        <translation>用于儿童膝外翻（X 型腿）的筛查辅助工具，依据儿童朝摄像头行走的视频进行分析。所有处理都在本机完成，数据不会离开这台电脑。</translation>
    </message>
    <message>
        <source>Screening support, not a diagnosis, and not clinically validated. The shipped model has demonstration weights trained on synthetic data.</source>
        <translation>仅为筛查辅助，不构成诊断，且未经临床验证。随附模型为演示用权重，仅用合成数据训练。</translation>
    </message>
    <message>
        <source>The model card cannot be read: {error}</source>
        <translation>无法读取模型卡：{error}</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络结构</translation>
    </message>
    <message>
        <source>Training data</source>
        <translation>训练数据</translation>
    </message>
    <message>
        <source>not stated</source>
        <translation>未注明</translation>
    </message>
    <message>
        <source>Intended use</source>
        <translation>预期用途</translation>
    </message>
    <message>
        <source>Weights checksum (SHA-256)</source>
        <translation>权重校验值（SHA-256）</translation>
    </message>
    <message>
        <source>Model card</source>
        <translation>模型卡</translation>
    </message>
</context>
<context>
    <name>AngleBandChart</name>
    <message>
        <source>Green: normal band for the age. Red: genu valgum range (15° or more). Blue: the estimate and its 90% interval.</source>
        <translation>绿色：该年龄的正常范围。红色：膝外翻范围（15° 及以上）。蓝色：估计值及其 90% 区间。</translation>
    </message>
</context>
<context>
    <name>CapturePage</name>
    <message>
        <source>Camera:</source>
        <translation>摄像头：</translation>
    </message>
    <message>
        <source>Look for cameras again</source>
        <translation>重新查找摄像头</translation>
    </message>
    <message>
        <source>Before you record</source>
        <translation>录制前检查</translation>
    </message>
    <message>
        <source>Camera on a tripod or shelf, or held steady, at knee-to-waist height, 0.5–1.1 m</source>
        <translation>摄像头放在三脚架或搁板上，或手持保持稳定，高度在膝与腰之间（0.5–1.1 米）</translation>
    </message>
    <message>
        <source>A straight walkway toward the camera, from about 6 m to 2 m</source>
        <translation>一条正对摄像头的直线步道，从约 6 米处走到 2 米处</translation>
    </message>
    <message>
        <source>Good light, no window or lamp behind the child</source>
        <translation>光线充足，儿童身后没有窗户或灯光</translation>
    </message>
    <message>
        <source>Nobody else walking with the child</source>
        <translation>没有其他人与儿童一起行走</translation>
    </message>
    <message>
        <source>Shorts or tight trousers; barefoot if possible</source>
        <translation>穿短裤或紧身裤；尽量赤脚</translation>
    </message>
    <message>
        <source>Whole body in view, at least 4 steps per walk</source>
        <translation>全身始终在画面内，每趟至少走 4 步</translation>
    </message>
    <message>
        <source>Capture the empty scene first, then let a warm-up walk pass</source>
        <translation>先拍摄空场景；第一趟热身行走不录制</translation>
    </message>
    <message>
        <source>Capture empty scene</source>
        <translation>拍摄空场景</translation>
    </message>
    <message>
        <source>Keep a picture of the scene without anybody in it: it helps to find the child&apos;s outline accurately</source>
        <translation>保存一张无人时的场景画面，有助于准确识别儿童的轮廓</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>录制</translation>
    </message>
    <message>
        <source>Start recording after a countdown; it stops by itself when the child reaches the camera or leaves the picture</source>
        <translation>倒计时后开始录制；儿童走到摄像头前或离开画面时自动停止</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Empty scene captured ✓</source>
        <translation>已拍摄空场景 ✓</translation>
    </message>
    <message>
        <source>No empty scene yet</source>
        <translation>尚未拍摄空场景</translation>
    </message>
    <message>
        <source>No camera picture. Choose a camera, or connect one and press the reload button.</source>
        <translation>没有摄像头画面。请选择摄像头，或连接摄像头后点击刷新按钮。</translation>
    </message>
    <message>
        <source>the child reached the camera</source>
        <translation>儿童已走到摄像头前</translation>
    </message>
    <message>
        <source>the child left the picture</source>
        <translation>儿童已离开画面</translation>
    </message>
    <message>
        <source>the longest recording time was reached</source>
        <translation>已达到最长录制时间</translation>
    </message>
    <message>
        <source>the camera stopped</source>
        <translation>摄像头已停止</translation>
    </message>
    <message>
        <source>Choose a camera to start the preview.</source>
        <translation>请选择摄像头以开始预览。</translation>
    </message>
    <message>
        <source>Looking for cameras…</source>
        <translation>正在查找摄像头…</translation>
    </message>
    <message>
        <source>No camera found. Connect a camera and press the reload button.</source>
        <translation>未找到摄像头。请连接摄像头后点击刷新按钮。</translation>
    </message>
    <message>
        <source>Starting the camera…</source>
        <translation>正在启动摄像头…</translation>
    </message>
    <message>
        <source>Live: {width}×{height}, {fps} frames per second.</source>
        <translation>实时画面：{width}×{height}，每秒 {fps} 帧。</translation>
    </message>
    <message>
        <source>Recording starts in {seconds} s…</source>
        <translation>{seconds} 秒后开始录制…</translation>
    </message>
    <message>
        <source>Recording… it stops when the child reaches the camera or leaves the picture.</source>
        <translation>正在录制……儿童走到摄像头前或离开画面时将自动停止。</translation>
    </message>
    <message>
        <source>Saved {name} ({why}). Analysing it…</source>
        <translation>已保存 {name}（{why}）。正在分析…</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Camera problem: {message}</source>
        <translation>摄像头出现问题：{message}</translation>
    </message>
    <message>
        <source>The recording could not be saved: {message}</source>
        <translation>无法保存录像：{message}</translation>
    </message>
    <message>
        <source>● REC {seconds} s</source>
        <translation>● 录制中 {seconds} 秒</translation>
    </message>
    <message>
        <source>No skeleton in the preview: {problem}</source>
        <translation>预览中不显示骨架：{problem}</translation>
    </message>
</context>
<context>
    <name>ChildDetails</name>
    <message>
        <source>Child ID:</source>
        <translation>儿童编号：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>Age:</source>
        <translation>年龄：</translation>
    </message>
    <message>
        <source>Sex:</source>
        <translation>性别：</translation>
    </message>
    <message>
        <source>Notes:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>e.g. school and class number</source>
        <translation>例如：学校、班级及学号</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>选填</translation>
    </message>
    <message>
        <source>in years</source>
        <translation>按岁数</translation>
    </message>
    <message>
        <source>date of birth</source>
        <translation>按出生日期</translation>
    </message>
    <message>
        <source>not given</source>
        <translation>未填写</translation>
    </message>
    <message>
        <source> years</source>
        <translation> 岁</translation>
    </message>
    <message>
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>e.g. barefoot, shorts; anything unusual about the walk</source>
        <translation>例如：赤脚、穿短裤；行走时的任何异常</translation>
    </message>
    <message>
        <source>{age} years</source>
        <translation>{age} 岁</translation>
    </message>
</context>
<context>
    <name>ClassSessionPage</name>
    <message>
        <source>Class session:</source>
        <translation>班级筛查：</translation>
    </message>
    <message>
        <source>Import roster…</source>
        <translation>导入名单…</translation>
    </message>
    <message>
        <source>Start a class session from a CSV file with each child&apos;s ID, name, date of birth and sex</source>
        <translation>从包含每名儿童编号、姓名、出生日期和性别的 CSV 文件开始一次班级筛查</translation>
    </message>
    <message>
        <source>Class summary…</source>
        <translation>班级汇总…</translation>
    </message>
    <message>
        <source>Write the class summary: a PDF with the referral list first, and a CSV table</source>
        <translation>生成班级汇总：一份以转诊名单开头的 PDF，以及一份 CSV 表格</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Child ID</source>
        <translation>儿童编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Now screening</source>
        <translation>当前筛查</translation>
    </message>
    <message>
        <source>Record the child&apos;s walk or open a clip of it, then press Analyse: the result is saved to this class session. Then press Next child. Double-click a child in the list to screen that child now.</source>
        <translation>录制该儿童的行走，或打开其行走视频，然后点击“分析”：结果会保存到本次班级筛查中。之后点击“下一名儿童”。双击名单中的儿童可立即筛查该儿童。</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>录制</translation>
    </message>
    <message>
        <source>Go to the Capture page to record this child&apos;s walk</source>
        <translation>前往“拍摄”页面录制该儿童的行走</translation>
    </message>
    <message>
        <source>Open clip…</source>
        <translation>打开视频…</translation>
    </message>
    <message>
        <source>Open a video of this child&apos;s walk</source>
        <translation>打开该儿童行走的视频</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Leave this child for later; Next child comes back to skipped children once the others are done</source>
        <translation>稍后再筛查该儿童；其他儿童完成后，“下一名儿童”会回到被跳过的儿童</translation>
    </message>
    <message>
        <source>Absent</source>
        <translation>缺席</translation>
    </message>
    <message>
        <source>Mark this child absent today</source>
        <translation>将该儿童标记为今日缺席</translation>
    </message>
    <message>
        <source>Next child</source>
        <translation>下一名儿童</translation>
    </message>
    <message>
        <source>Go on to the next child still to screen</source>
        <translation>继续筛查下一名尚未筛查的儿童</translation>
    </message>
    <message>
        <source>To do</source>
        <translation>待筛查</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>Class session created with {count} children.</source>
        <translation>已创建班级筛查，共 {count} 名儿童。</translation>
    </message>
    <message>
        <source>Class summary written: {pdf} and {csv}.</source>
        <translation>班级汇总已生成：{pdf} 和 {csv}。</translation>
    </message>
    <message>
        <source>Writing the class summary…</source>
        <translation>正在生成班级汇总…</translation>
    </message>
    <message>
        <source>{session} ({done} of {count} done)</source>
        <translation>{session}（已完成 {done}/{count}）</translation>
    </message>
    <message>
        <source>None: screen children one by one</source>
        <translation>无：逐个筛查儿童</translation>
    </message>
    <message>
        <source>Import a class roster (CSV with ID, name, date of birth and sex) to screen a class child by child, or choose an earlier class session.</source>
        <translation>导入班级名单（包含编号、姓名、出生日期和性别的 CSV 文件），即可逐个筛查全班儿童；也可以选择以前的班级筛查。</translation>
    </message>
    <message>
        <source>{count} children: {done} done, {pending} to do, {skipped} skipped, {absent} absent.</source>
        <translation>共 {count} 名儿童：已完成 {done}，待筛查 {pending}，已跳过 {skipped}，缺席 {absent}。</translation>
    </message>
    <message>
        <source>No class session</source>
        <translation>没有进行中的班级筛查</translation>
    </message>
    <message>
        <source>Everyone is screened or marked absent. Write the class summary.</source>
        <translation>所有儿童均已筛查或标记为缺席。请生成班级汇总。</translation>
    </message>
    <message>
        <source>{age} years</source>
        <translation>{age} 岁</translation>
    </message>
    <message>
        <source>girl</source>
        <translation>女孩</translation>
    </message>
    <message>
        <source>boy</source>
        <translation>男孩</translation>
    </message>
    <message>
        <source>Import a class roster</source>
        <translation>导入班级名单</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.txt);;All files (*)</source>
        <translation>CSV 文件 (*.csv *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>This roster cannot be read</source>
        <translation>无法读取此名单</translation>
    </message>
    <message>
        <source>The roster could not be imported</source>
        <translation>无法导入名单</translation>
    </message>
    <message>
        <source>Save the class summary</source>
        <translation>保存班级汇总</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>The class summary could not be written</source>
        <translation>无法生成班级汇总</translation>
    </message>
</context>
<context>
    <name>ColourLegend</name>
    <message>
        <source>Attention colours, scaled to the strongest attention in this clip</source>
        <translation>注意力颜色，以本段视频中最强的注意力为基准</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
</context>
<context>
    <name>HistoryPage</name>
    <message>
        <source>Search by child ID or name</source>
        <translation>按儿童编号或姓名搜索</translation>
    </message>
    <message>
        <source>Class session:</source>
        <translation>班级筛查：</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>从：</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>到：</translation>
    </message>
    <message>
        <source>any date</source>
        <translation>不限日期</translation>
    </message>
    <message>
        <source>Category:</source>
        <translation>类别：</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>所有类别</translation>
    </message>
    <message>
        <source>Child ID</source>
        <translation>儿童编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Screened</source>
        <translation>筛查时间</translation>
    </message>
    <message>
        <source>Class session</source>
        <translation>班级筛查</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Recommendation</source>
        <translation>建议</translation>
    </message>
    <message>
        <source>Knee angle</source>
        <translation>膝角</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Show the screening on the Review page again, from the records (the model does not run again)</source>
        <translation>从记录中读取该筛查，在“回看”页面重新显示（不会再次运行模型）</translation>
    </message>
    <message>
        <source>PDF report…</source>
        <translation>PDF 报告…</translation>
    </message>
    <message>
        <source>Write the PDF report of the selected screening</source>
        <translation>生成所选筛查的 PDF 报告</translation>
    </message>
    <message>
        <source>Export list (CSV)…</source>
        <translation>导出列表（CSV）…</translation>
    </message>
    <message>
        <source>Save the screenings listed here as a table for a spreadsheet</source>
        <translation>将此处列出的筛查保存为可用电子表格打开的表格</translation>
    </message>
    <message>
        <source>Delete child…</source>
        <translation>删除儿童…</translation>
    </message>
    <message>
        <source>Delete the selected child with all their screenings and reports</source>
        <translation>删除所选儿童及其全部筛查和报告</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Report written to {path}.</source>
        <translation>报告已保存到 {path}。</translation>
    </message>
    <message>
        <source>{count} screenings written to {path}.</source>
        <translation>已将 {count} 条筛查写入 {path}。</translation>
    </message>
    <message>
        <source>Child {id} deleted: {screenings} screenings and {files} files.</source>
        <translation>已删除儿童 {id}：{screenings} 条筛查，{files} 个文件。</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>正在生成报告…</translation>
    </message>
    <message>
        <source>{count} screenings</source>
        <translation>共 {count} 条筛查</translation>
    </message>
    <message>
        <source>Save the PDF report</source>
        <translation>保存 PDF 报告</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>The report could not be written</source>
        <translation>无法生成报告</translation>
    </message>
    <message>
        <source>Export the list</source>
        <translation>导出列表</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>The list could not be exported</source>
        <translation>无法导出列表</translation>
    </message>
    <message>
        <source>Delete child {child} and everything GenuScreen keeps about them?</source>
        <translation>删除儿童 {child} 以及 GenuScreen 保存的与其相关的全部内容？</translation>
    </message>
    <message>
        <source>This deletes:</source>
        <translation>将删除：</translation>
    </message>
    <message>
        <source>Screening records: {count}</source>
        <translation>筛查记录：{count} 条</translation>
    </message>
    <message>
        <source>Places on class-session rosters: {count}</source>
        <translation>班级筛查名单中的位置：{count} 个</translation>
    </message>
    <message>
        <source>PDF reports: {count}</source>
        <translation>PDF 报告：{count} 份</translation>
    </message>
    <message>
        <source>Overlay videos: {count}</source>
        <translation>叠加图视频：{count} 个</translation>
    </message>
    <message>
        <source>The stored attention maps and silhouettes</source>
        <translation>已保存的注意力图和剪影</translation>
    </message>
    <message>
        <source>The original recordings are not deleted. This cannot be undone.</source>
        <translation>原始录像不会被删除。此操作无法撤销。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete child {id}</source>
        <translation>删除儿童 {id}</translation>
    </message>
    <message>
        <source>The child could not be deleted</source>
        <translation>无法删除该儿童</translation>
    </message>
    <message>
        <source>Some files could not be deleted</source>
        <translation>部分文件无法删除</translation>
    </message>
    <message>
        <source>The records are deleted, but these files are still there; delete them yourself:
{files}</source>
        <translation>记录已删除，但以下文件仍然存在，请手动删除：
{files}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;Open clip…</source>
        <translation>打开视频(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a video of the child walking (Ctrl+O)</source>
        <translation>打开儿童行走的视频（Ctrl+O）</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the PDF report, the result and the video with the attention overlay to a folder (Ctrl+E)</source>
        <translation>将 PDF 报告、结果和带注意力叠加图的视频保存到文件夹（Ctrl+E）</translation>
    </message>
    <message>
        <source>&amp;Save to records</source>
        <translation>保存到记录(&amp;S)</translation>
    </message>
    <message>
        <source>Keep the result in the records with the child&apos;s details (Ctrl+S)</source>
        <translation>将结果连同儿童信息保存到记录中（Ctrl+S）</translation>
    </message>
    <message>
        <source>Recor&amp;ds</source>
        <translation>记录(&amp;D)</translation>
    </message>
    <message>
        <source>Stored screenings: search, open again, reports, delete (Ctrl+H)</source>
        <translation>已保存的筛查：搜索、重新打开、报告、删除（Ctrl+H）</translation>
    </message>
    <message>
        <source>Class &amp;session</source>
        <translation>班级筛查(&amp;S)</translation>
    </message>
    <message>
        <source>Screen a class child by child from a roster</source>
        <translation>按名单逐个筛查全班儿童</translation>
    </message>
    <message>
        <source>&amp;Import class roster…</source>
        <translation>导入班级名单(&amp;I)…</translation>
    </message>
    <message>
        <source>Start a class session from a CSV roster</source>
        <translation>从 CSV 名单开始一次班级筛查</translation>
    </message>
    <message>
        <source>Class s&amp;ummary…</source>
        <translation>班级汇总(&amp;U)…</translation>
    </message>
    <message>
        <source>Write the class summary (PDF and CSV) of the class session</source>
        <translation>生成本次班级筛查的班级汇总（PDF 和 CSV）</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Analyse</source>
        <translation>分析(&amp;A)</translation>
    </message>
    <message>
        <source>Screen the open clip with the child&apos;s details (Ctrl+R)</source>
        <translation>结合儿童信息筛查当前视频（Ctrl+R）</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>Stop the running analysis or export (Esc)</source>
        <translation>停止正在进行的分析或导出（Esc）</translation>
    </message>
    <message>
        <source>&amp;Play / pause</source>
        <translation>播放/暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Pre&amp;vious frame</source>
        <translation>上一帧(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Next frame</source>
        <translation>下一帧(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Review</source>
        <translation>回看(&amp;R)</translation>
    </message>
    <message>
        <source>Review a clip and its result</source>
        <translation>回看视频及其结果</translation>
    </message>
    <message>
        <source>&amp;Capture</source>
        <translation>拍摄(&amp;C)</translation>
    </message>
    <message>
        <source>Record a walk with a camera</source>
        <translation>用摄像头录制一段行走</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Data folder, device, language, overlay colours</source>
        <translation>数据文件夹、运行设备、语言、叠加图颜色</translation>
    </message>
    <message>
        <source>&amp;About GenuScreen</source>
        <translation>关于 GenuScreen(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Screening</source>
        <translation>筛查(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <source>Where the model runs. CUDA needs an NVIDIA card and a CUDA build of PyTorch.</source>
        <translation>模型在哪里运行。使用 CUDA 需要 NVIDIA 显卡和支持 CUDA 的 PyTorch。</translation>
    </message>
    <message>
        <source>Child</source>
        <translation>儿童信息</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Analyse</source>
        <translation>分析</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the running work (Esc)</source>
        <translation>停止正在进行的任务（Esc）</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <source>Clip opened. Enter the child&apos;s details and press Analyse.</source>
        <translation>视频已打开。请填写儿童信息，然后点击“分析”。</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Analysis cancelled.</source>
        <translation>分析已取消。</translation>
    </message>
    <message>
        <source>Analysis finished in {seconds} s.</source>
        <translation>分析完成，用时 {seconds} 秒。</translation>
    </message>
    <message>
        <source>Exported to {folder}.</source>
        <translation>已导出到 {folder}。</translation>
    </message>
    <message>
        <source>Export cancelled.</source>
        <translation>导出已取消。</translation>
    </message>
    <message>
        <source>Saved in the records.</source>
        <translation>已保存到记录。</translation>
    </message>
    <message>
        <source>Analysis finished in {seconds} s and saved in the records.</source>
        <translation>分析完成，用时 {seconds} 秒，已保存到记录。</translation>
    </message>
    <message>
        <source>Opening the screening from the records…</source>
        <translation>正在从记录中打开筛查…</translation>
    </message>
    <message>
        <source>Screening opened from the records; the model did not run again.</source>
        <translation>已从记录中打开筛查；模型没有再次运行。</translation>
    </message>
    <message>
        <source>The last action failed; see the message.</source>
        <translation>上一个操作失败，请查看提示信息。</translation>
    </message>
    <message>
        <source>Last analysis ran on: {device}</source>
        <translation>上次分析运行于：{device}</translation>
    </message>
    <message>
        <source>Model runs on: {device}</source>
        <translation>模型运行于：{device}</translation>
    </message>
    <message>
        <source>Open a walking clip</source>
        <translation>打开行走视频</translation>
    </message>
    <message>
        <source>Videos ({patterns});;All files (*)</source>
        <translation>视频 ({patterns});;所有文件 (*)</translation>
    </message>
    <message>
        <source>No recent clips</source>
        <translation>没有最近打开的视频</translation>
    </message>
    <message>
        <source>This clip cannot be opened</source>
        <translation>无法打开此视频</translation>
    </message>
    <message>
        <source>The clip could not be analysed</source>
        <translation>无法分析此视频</translation>
    </message>
    <message>
        <source>Nothing to export yet</source>
        <translation>暂无可导出的内容</translation>
    </message>
    <message>
        <source>Analyse a clip first; then its result can be exported.</source>
        <translation>请先分析视频，之后才能导出结果。</translation>
    </message>
    <message>
        <source>Export to folder</source>
        <translation>导出到文件夹</translation>
    </message>
    <message>
        <source>The export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Child&apos;s ID</source>
        <translation>儿童编号</translation>
    </message>
    <message>
        <source>The records keep screenings by the child&apos;s ID (for example the school&apos;s number). Enter it to save this screening:</source>
        <translation>记录按儿童编号（例如学校的学号）保存筛查。请输入编号以保存本次筛查：</translation>
    </message>
    <message>
        <source>The screening could not be saved</source>
        <translation>无法保存筛查</translation>
    </message>
    <message>
        <source>Save this screening?</source>
        <translation>保存本次筛查？</translation>
    </message>
    <message>
        <source>The result of {clip} is not saved in the records yet. Save it now?</source>
        <translation>{clip} 的结果尚未保存到记录中。现在保存吗？</translation>
    </message>
    <message>
        <source>This screening cannot be opened</source>
        <translation>无法打开此筛查</translation>
    </message>
    <message>
        <source>The recording {name} is not available (moved, renamed or changed since the screening). The stored result, timeline and attention maps are shown over the child&apos;s silhouettes.</source>
        <translation>录像 {name} 不可用（筛查后已被移动、重命名或修改）。以下在儿童剪影上显示已保存的结果、时间轴和注意力图。</translation>
    </message>
    <message>
        <source>The recording {name} is not available (moved, renamed or changed since the screening). The stored result and timeline are shown.</source>
        <translation>录像 {name} 不可用（筛查后已被移动、重命名或修改）。以下显示已保存的结果和时间轴。</translation>
    </message>
</context>
<context>
    <name>Preferences</name>
    <message>
        <source>Jet (blue to red)</source>
        <translation>Jet（蓝→红）</translation>
    </message>
    <message>
        <source>Turbo (blue to red, even steps)</source>
        <translation>Turbo（蓝→红，过渡均匀）</translation>
    </message>
    <message>
        <source>Inferno (black to yellow)</source>
        <translation>Inferno（黑→黄）</translation>
    </message>
    <message>
        <source>Viridis (blue to yellow, colour-blind safe)</source>
        <translation>Viridis（蓝→黄，对色盲友好）</translation>
    </message>
    <message>
        <source>Hot (black to white through red)</source>
        <translation>Hot（黑→红→白）</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>not available</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>CUDA GPU ({card})</source>
        <translation>CUDA GPU（{card}）</translation>
    </message>
    <message>
        <source>Automatic (GPU when available)</source>
        <translation>自动（有 GPU 时使用 GPU）</translation>
    </message>
</context>
<context>
    <name>RecordStatus</name>
    <message>
        <source>Not saved in the records yet. Enter the child&apos;s ID and press Save to records.</source>
        <translation>尚未保存到记录。请填写儿童编号，然后点击“保存到记录”。</translation>
    </message>
    <message>
        <source>Saving in the records…</source>
        <translation>正在保存到记录…</translation>
    </message>
    <message>
        <source>✓ Saved in the records (child {id}).</source>
        <translation>✓ 已保存到记录（儿童 {id}）。</translation>
    </message>
    <message>
        <source>Not saved in the records: {message}</source>
        <translation>未能保存到记录：{message}</translation>
    </message>
    <message>
        <source>From the records: child {id}, screened {date}.</source>
        <translation>来自记录：儿童 {id}，筛查于 {date}。</translation>
    </message>
    <message>
        <source>Save to records</source>
        <translation>保存到记录</translation>
    </message>
    <message>
        <source>Keep this screening in the records with the child&apos;s details (Ctrl+S)</source>
        <translation>将本次筛查连同儿童信息保存到记录中（Ctrl+S）</translation>
    </message>
</context>
<context>
    <name>Records</name>
    <message>
        <source>The records in {folder} cannot be opened ({error}). Choose another data folder in Settings.</source>
        <translation>无法打开 {folder} 中的记录（{error}）。请在“设置”中选择其他数据文件夹。</translation>
    </message>
</context>
<context>
    <name>ResultPanel</name>
    <message>
        <source>Screening support, not a diagnosis. Not clinically validated.</source>
        <translation>仅为筛查辅助，不构成诊断。未经临床验证。</translation>
    </message>
    <message>
        <source>Analysing… the result appears here.</source>
        <translation>正在分析……结果将显示在这里。</translation>
    </message>
    <message>
        <source>No result yet. Open a clip, enter the child&apos;s details and press Analyse.</source>
        <translation>尚无结果。请打开视频，填写儿童信息，然后点击“分析”。</translation>
    </message>
    <message>
        <source>Model {id} (version {version}) on {device}</source>
        <translation>模型 {id}（版本 {version}），运行于 {device}</translation>
    </message>
    <message>
        <source>Recommendation</source>
        <translation>建议</translation>
    </message>
    <message>
        <source>Other people in view:</source>
        <translation>画面中的其他人：</translation>
    </message>
    <message>
        <source>Risk of genu valgum: &lt;b&gt;{risk}&lt;/b&gt; (90% interval {low}–{high})</source>
        <translation>膝外翻风险：&lt;b&gt;{risk}&lt;/b&gt;（90% 区间 {low}–{high}）</translation>
    </message>
    <message>
        <source>Estimated knee angle: &lt;b&gt;{angle}°&lt;/b&gt; valgus (90% interval {low}–{high}°)</source>
        <translation>估计膝角：外翻 &lt;b&gt;{angle}°&lt;/b&gt;（90% 区间 {low}–{high}°）</translation>
    </message>
    <message>
        <source>Normal band at {age} years: {lower}–{upper}° (mean {mean}°)</source>
        <translation>{age} 岁正常范围：{lower}–{upper}°（均值 {mean}°）</translation>
    </message>
    <message>
        <source>No age given: compared with the adult normal range, 0–10°.</source>
        <translation>未填写年龄：与成人正常范围 0–10° 比较。</translation>
    </message>
    <message>
        <source>Why it cannot be screened</source>
        <translation>无法筛查的原因</translation>
    </message>
    <message>
        <source>Record the child again</source>
        <translation>请重新录制</translation>
    </message>
    <message>
        <source>This recording cannot be screened, for these reasons:</source>
        <translation>此录像无法筛查，原因如下：</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>&lt;h2&gt;Open a clip to review it&lt;/h2&gt;&lt;p&gt;File ▸ Open (Ctrl+O), drop a video file here, or record one on the Capture page.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;打开视频进行回看&lt;/h2&gt;&lt;p&gt;使用“文件 ▸ 打开视频”（Ctrl+O），把视频文件拖放到这里，或在“拍摄”页面录制一段。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Play or pause (Space)</source>
        <translation>播放或暂停（空格键）</translation>
    </message>
    <message>
        <source>Previous frame (Left arrow)</source>
        <translation>上一帧（左方向键）</translation>
    </message>
    <message>
        <source>Next frame (Right arrow)</source>
        <translation>下一帧（右方向键）</translation>
    </message>
    <message>
        <source>Playback speed</source>
        <translation>播放速度</translation>
    </message>
    <message>
        <source>Drag to move through the clip</source>
        <translation>拖动以浏览视频</translation>
    </message>
    <message>
        <source>Person followed</source>
        <translation>跟踪的人</translation>
    </message>
    <message>
        <source>Show the box and the skeleton of the person the screening followed (blue: the child&apos;s left side, orange: the right side)</source>
        <translation>显示筛查所跟踪的人的方框和骨架（蓝色：孩子的左侧，橙色：右侧）</translation>
    </message>
    <message>
        <source>Attention overlay</source>
        <translation>注意力叠加图</translation>
    </message>
    <message>
        <source>Show where the model looked in each frame</source>
        <translation>显示模型在每一帧中关注的区域</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <source>Colours are relative to this clip&apos;s strongest attention.</source>
        <translation>颜色以本段视频中最强的注意力为基准。</translation>
    </message>
    <message>
        <source>{time:.2f} s · frame {frame} of {frames}</source>
        <translation>{time:.2f} 秒 · 第 {frame} 帧，共 {frames} 帧</translation>
    </message>
</context>
<context>
    <name>RosterDialog</name>
    <message>
        <source>Import a class roster</source>
        <translation>导入班级名单</translation>
    </message>
    <message>
        <source>&lt;b&gt;{file}&lt;/b&gt; has lines that need fixing. Nothing was imported.</source>
        <translation>&lt;b&gt;{file}&lt;/b&gt; 中有需要修改的行。未导入任何内容。</translation>
    </message>
    <message>
        <source>Line {line}: {message}</source>
        <translation>第 {line} 行：{message}</translation>
    </message>
    <message>
        <source>Fix these lines in the file (for example in your spreadsheet, then save it as CSV) and import it again. The header is line 1.</source>
        <translation>请在文件中修改这些行（例如在电子表格中修改后另存为 CSV），然后重新导入。表头为第 1 行。</translation>
    </message>
    <message>
        <source>&lt;b&gt;{file}&lt;/b&gt;: {count} children. Check them, name the class session and import.</source>
        <translation>&lt;b&gt;{file}&lt;/b&gt;：共 {count} 名儿童。请核对名单，填写班级信息后导入。</translation>
    </message>
    <message>
        <source>Child ID</source>
        <translation>儿童编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>School:</source>
        <translation>学校：</translation>
    </message>
    <message>
        <source>Class:</source>
        <translation>班级：</translation>
    </message>
    <message>
        <source>Screening day:</source>
        <translation>筛查日期：</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>选填</translation>
    </message>
    <message>
        <source>e.g. 3B</source>
        <translation>例如：三年级二班</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
</context>
<context>
    <name>SessionStrip</name>
    <message>
        <source>Class session {session}: {done} of {count} done</source>
        <translation>班级筛查 {session}：已完成 {done}/{count}</translation>
    </message>
    <message>
        <source>nobody left to screen</source>
        <translation>已没有待筛查的儿童</translation>
    </message>
    <message>
        <source>Now: {child}</source>
        <translation>当前：{child}</translation>
    </message>
    <message>
        <source>Next child</source>
        <translation>下一名儿童</translation>
    </message>
    <message>
        <source>Roster</source>
        <translation>名单</translation>
    </message>
    <message>
        <source>Show the class session page</source>
        <translation>显示班级筛查页面</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>kept with each screening and printed on reports</source>
        <translation>随每次筛查保存，并打印在报告上</translation>
    </message>
    <message>
        <source>Silhouettes only (no picture of the child, for privacy)</source>
        <translation>仅显示剪影（不显示儿童画面，保护隐私）</translation>
    </message>
    <message>
        <source>Data folder (records, recordings and exports):</source>
        <translation>数据文件夹（记录、录像和导出文件）：</translation>
    </message>
    <message>
        <source>Default device for the model:</source>
        <translation>模型默认运行设备：</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>Attention overlay colours:</source>
        <translation>注意力叠加图颜色：</translation>
    </message>
    <message>
        <source>Screener&apos;s name:</source>
        <translation>筛查人员姓名：</translation>
    </message>
    <message>
        <source>Report page size:</source>
        <translation>报告纸张大小：</translation>
    </message>
    <message>
        <source>Report pictures:</source>
        <translation>报告图片：</translation>
    </message>
    <message>
        <source>Choose the data folder</source>
        <translation>选择数据文件夹</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>Risk</source>
        <translation>风险</translation>
    </message>
    <message>
        <source>Knee angle (°)</source>
        <translation>膝角（°）</translation>
    </message>
    <message>
        <source>Time (s)</source>
        <translation>时间（秒）</translation>
    </message>
    <message>
        <source>Risk of genu valgum and estimated knee angle over time. Click to go to that moment.</source>
        <translation>膝外翻风险和估计膝角随时间的变化。点击可跳转到该时刻。</translation>
    </message>
</context>
<context>
    <name>Wording</name>
    <message>
        <source>Genu valgum unlikely</source>
        <translation>膝外翻可能性低</translation>
    </message>
    <message>
        <source>Uncertain</source>
        <translation>不确定</translation>
    </message>
    <message>
        <source>Genu valgum likely</source>
        <translation>膝外翻可能性高</translation>
    </message>
    <message>
        <source>Cannot be screened</source>
        <translation>无法筛查</translation>
    </message>
    <message>
        <source>No concern</source>
        <translation>无需担忧</translation>
    </message>
    <message>
        <source>Re-screen</source>
        <translation>复查</translation>
    </message>
    <message>
        <source>Refer</source>
        <translation>转诊</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>Finding the child in the video…</source>
        <translation>正在视频中识别儿童…</translation>
    </message>
    <message>
        <source>Analysing the walk…</source>
        <translation>正在分析步态…</translation>
    </message>
    <message>
        <source>Computing the attention maps…</source>
        <translation>正在计算注意力图…</translation>
    </message>
    <message>
        <source>Finishing…</source>
        <translation>即将完成…</translation>
    </message>
    <message>
        <source>Reading the clip…</source>
        <translation>正在读取视频…</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>the adult normal range (0–10°; no age given, so the age norm was not applied)</source>
        <translation>成人正常范围（0–10°；未填写年龄，因此未采用年龄常模）</translation>
    </message>
    <message>
        <source>the normal band for {age} years ({lower}–{upper}°)</source>
        <translation>{age} 岁儿童的正常范围（{lower}–{upper}°）</translation>
    </message>
    <message>
        <source>This recording cannot be screened: no usable walk was found in it. Record the child again, following the recording checklist.</source>
        <translation>此录像无法筛查：其中没有可用的行走片段。请按照录制检查清单重新录制。</translation>
    </message>
    <message>
        <source>The estimated knee angle ({angle}°, {low}–{high}) is above {band}, but at {age} years knock-knees often still resolve. Re-screen in about 6 months; refer sooner if it is one-sided, painful or getting worse.</source>
        <translation>估计膝角（{angle}°，{low}–{high}°）高于{band}，但 {age} 岁儿童的膝外翻常可自行缓解。建议约 6 个月后复查；若为单侧、伴有疼痛或逐渐加重，请尽早转诊。</translation>
    </message>
    <message>
        <source>The estimated knee angle ({angle}°, {low}–{high}) is above {band} and in the genu valgum range (15° or more), and the risk is high ({risk}). Refer for a clinical examination.</source>
        <translation>估计膝角（{angle}°，{low}–{high}°）高于{band}，处于膝外翻范围（15° 及以上），且风险较高（{risk}）。建议转诊进行临床检查。</translation>
    </message>
    <message>
        <source>The estimated knee angle ({angle}°, {low}–{high}) lies within {band}, and the risk is low ({risk}).</source>
        <translation>估计膝角（{angle}°，{low}–{high}°）在{band}之内，且风险较低（{risk}）。</translation>
    </message>
    <message>
        <source>The risk is low ({risk}); the estimated knee angle ({angle}°, {low}–{high}) is at the edge of {band}, within the error of a video measurement.</source>
        <translation>风险较低（{risk}）；估计膝角（{angle}°，{low}–{high}°）处于{band}的边缘，在视频测量的误差范围之内。</translation>
    </message>
    <message>
        <source>The estimated knee angle ({angle}°) points to bow legs rather than knock-knees; this tool screens for knock-knees. Re-screen, and see a clinician if the legs look bowed.</source>
        <translation>估计膝角（{angle}°）提示膝内翻（O 型腿）而非膝外翻；本工具只筛查膝外翻。建议复查；如双腿看起来呈弓形，请就医检查。</translation>
    </message>
    <message>
        <source>The result is not clear: risk {risk} ({risk_low}–{risk_high}), estimated knee angle {angle}° ({low}–{high}) against {band}. Record the child again (walking straight toward the camera, in shorts, whole body in view) and screen again.</source>
        <translation>结果不明确：风险 {risk}（{risk_low}–{risk_high}），估计膝角 {angle}°（{low}–{high}°），参照{band}。请重新录制（儿童径直走向摄像头、穿短裤、全身在画面内）后再次筛查。</translation>
    </message>
    <message>
        <source>The camera shook too much to follow the legs ({percent}% of the picture width). Hold the camera steadier with both hands, or rest it on something, and record again.</source>
        <translation>摄像头晃动太大，无法跟踪双腿（达画面宽度的 {percent}%）。请用双手把摄像头拿稳，或把它靠在物体上，然后重新录制。</translation>
    </message>
    <message>
        <source>The camera swept across the scene ({percent}% of the picture width a second). Keep the camera pointed at the walkway while the child walks toward it, and record again.</source>
        <translation>摄像头在场景中扫动（每秒达画面宽度的 {percent}%）。孩子朝摄像头走来时，请让摄像头始终对准走道，然后重新录制。</translation>
    </message>
    <message>
        <source>{count} people are in view and another person walks with the child. Screen one child at a time with nobody else in the walkway, and record again.</source>
        <translation>画面中有 {count} 个人，并且有另一个人与孩子一起行走。请每次只筛查一名儿童，走道上不要有其他人，然后重新录制。</translation>
    </message>
    <message>
        <source>No walking person was found. Check that the child is in view and walks toward the camera, that the camera does not move, and record again.</source>
        <translation>未发现行走的人。请确认儿童在画面内并朝摄像头行走、摄像头没有移动，然后重新录制。</translation>
    </message>
    <message>
        <source>More than one person is in view. Screen one child at a time with nobody else in the picture, and record again.</source>
        <translation>画面中不止一个人。请每次只筛查一名儿童，画面中不要有其他人，然后重新录制。</translation>
    </message>
    <message>
        <source>The child walks across the picture instead of toward the camera. Place the camera at the end of the walkway so the child walks straight toward it.</source>
        <translation>儿童横穿画面，而不是朝摄像头走来。请把摄像头放在步道尽头，让儿童径直朝摄像头走来。</translation>
    </message>
    <message>
        <source>The child walks away from the camera. The child should start far away and walk toward the camera.</source>
        <translation>儿童在远离摄像头。儿童应从远处出发，朝摄像头走来。</translation>
    </message>
    <message>
        <source>Head or feet are outside the picture in many frames. Move the camera back or lower it to knee-to-waist height so the whole body stays in view.</source>
        <translation>许多帧中头部或双脚超出了画面。请把摄像头后移，或降低到膝与腰之间的高度，使全身始终在画面内。</translation>
    </message>
    <message>
        <source>The clip is too short, or the whole body is in view too briefly. Record the child walking the whole way toward the camera (about 4–6 seconds).</source>
        <translation>视频太短，或全身在画面内的时间太短。请录制儿童朝摄像头走完全程（约 4–6 秒）。</translation>
    </message>
    <message>
        <source>Too few steps were seen (at least 4 are needed). Let the child walk the whole way (about 4–6 m) toward the camera.</source>
        <translation>检测到的步数太少（至少需要 4 步）。请让儿童朝摄像头走完全程（约 4–6 米）。</translation>
    </message>
    <message>
        <source>The camera moved during the recording. Put the camera on a tripod or a steady surface and record again.</source>
        <translation>录制过程中摄像头发生了移动。请把摄像头固定在三脚架或平稳的表面上，然后重新录制。</translation>
    </message>
    <message>
        <source>The clip is too dark. Turn on more light or move to a brighter room, avoid backlight, and record again.</source>
        <translation>视频太暗。请增加照明或换到更明亮的房间，避免逆光，然后重新录制。</translation>
    </message>
    <message>
        <source>People sitting at the side were also in view ({count}); only the walking child was screened.</source>
        <translation>画面中还有坐在一旁的人（{count} 人）；只对行走的孩子进行了筛查。</translation>
    </message>
    <message>
        <source>People standing still were also in view ({count}); only the walking child was screened.</source>
        <translation>画面中还有站着不动的人（{count} 人）；只对行走的孩子进行了筛查。</translation>
    </message>
    <message>
        <source>People crossing the picture were also in view ({count}); only the walking child was screened.</source>
        <translation>画面中还有横穿画面的人（{count} 人）；只对行走的孩子进行了筛查。</translation>
    </message>
    <message>
        <source>People walking elsewhere in the picture were also in view ({count}); only the walking child was screened.</source>
        <translation>画面中还有在别处走动的人（{count} 人）；只对行走的孩子进行了筛查。</translation>
    </message>
    <message>
        <source>Video file not found: {name}. Check the path and try again.</source>
        <translation>找不到视频文件：{name}。请检查路径后重试。</translation>
    </message>
    <message>
        <source>{name} is a folder, not a video file. Choose a video file inside it.</source>
        <translation>{name} 是一个文件夹，不是视频文件。请选择其中的视频文件。</translation>
    </message>
    <message>
        <source>Cannot read {name}: permission denied. Copy the file somewhere you can read, or fix its permissions.</source>
        <translation>无法读取 {name}：没有访问权限。请将文件复制到您有权读取的位置，或修改其权限。</translation>
    </message>
    <message>
        <source>{name} is empty (0 bytes). Record or copy the clip again.</source>
        <translation>{name} 是空文件（0 字节）。请重新录制或复制该视频。</translation>
    </message>
    <message>
        <source>{name} is a still picture, not a video. Choose a video of the child walking.</source>
        <translation>{name} 是一张静态图片，不是视频。请选择儿童行走的视频。</translation>
    </message>
    <message>
        <source>{name} is not a video (it holds text). Choose a video file.</source>
        <translation>{name} 不是视频（其中是文本）。请选择视频文件。</translation>
    </message>
    <message>
        <source>{name} could not be opened as a video. It may be damaged or not a video. Re-export or record it again.</source>
        <translation>无法将 {name} 作为视频打开。文件可能已损坏或不是视频。请重新导出或重新录制。</translation>
    </message>
    <message>
        <source>{name} holds no more than one frame: it is a still, not a walk. Record the child walking toward the camera for 4-6 seconds.</source>
        <translation>{name} 最多只有一帧：这是静止画面，不是行走视频。请录制儿童朝镜头行走 4–6 秒的视频。</translation>
    </message>
    <message>
        <source>{name} contains no decodable frames. The file may be truncated or damaged; record or copy it again.</source>
        <translation>{name} 中没有可解码的画面。文件可能不完整或已损坏；请重新录制或复制。</translation>
    </message>
    <message>
        <source>{name} is only {width}x{height} pixels: too small to see a child walking. Record at 640x480 or more.</source>
        <translation>{name} 只有 {width}x{height} 像素，太小，无法看清儿童行走。请以 640x480 或更高分辨率录制。</translation>
    </message>
    <message>
        <source>has {fields} fields, the header has {header}</source>
        <translation>有 {fields} 列，表头有 {header} 列</translation>
    </message>
    <message>
        <source>the ID is empty</source>
        <translation>编号为空</translation>
    </message>
    <message>
        <source>ID {id} is already used on line {first_line}</source>
        <translation>编号 {id} 已在第 {first_line} 行使用</translation>
    </message>
    <message>
        <source>the name is empty</source>
        <translation>姓名为空</translation>
    </message>
    <message>
        <source>the date of birth is empty</source>
        <translation>出生日期为空</translation>
    </message>
    <message>
        <source>date of birth {text} is not a real date (write it as YYYY-MM-DD)</source>
        <translation>出生日期 {text} 不是有效日期（请写成 YYYY-MM-DD）</translation>
    </message>
    <message>
        <source>date of birth {date} is in the future</source>
        <translation>出生日期 {date} 晚于今天</translation>
    </message>
    <message>
        <source>age {age} years (born {date}) is outside {low}-{high} years</source>
        <translation>年龄 {age} 岁（出生于 {date}）不在 {low}–{high} 岁范围内</translation>
    </message>
    <message>
        <source>sex {text} is not F or M (also accepted: female/male, girl/boy, 女/男)</source>
        <translation>性别 {text} 不是 F 或 M（也可写 female/male、girl/boy、女/男）</translation>
    </message>
    <message>
        <source>the roster has a header but no children</source>
        <translation>名单只有表头，没有儿童</translation>
    </message>
</context>
</TS>
