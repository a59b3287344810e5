<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>AddDialog</name>
    <message>
        <source>Let an officer in</source>
        <translation>Cho cán bộ vào</translation>
    </message>
    <message>
        <source>{login} ({name}) asked to join with the key fingerprint:</source>
        <translation>{login} ({name}) đã xin vào với dấu vân tay khóa:</translation>
    </message>
    <message>
        <source>Let in only if it is the same as on their computer (Settings → Officers), read out by the officer.</source>
        <translation>Chỉ cho vào khi dấu vân tay này giống hệt dấu vân tay trên máy của cán bộ đó (Cài đặt → Cán bộ), do chính cán bộ đọc cho.</translation>
    </message>
    <message>
        <source>Let in</source>
        <translation>Cho vào</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>AddUnitDialog</name>
    <message>
        <source>Add a unit</source>
        <translation>Thêm đơn vị</translation>
    </message>
    <message>
        <source>Another employer kept in the same data: its own profile, workers, dossiers and gateway account. Fields marked * are required; the unit code cannot be one already in the data.</source>
        <translation>Một đơn vị sử dụng lao động khác trong cùng dữ liệu: có thông tin, người lao động, hồ sơ và tài khoản cổng riêng. Các ô có dấu * là bắt buộc; mã đơn vị không được trùng với đơn vị đã có.</translation>
    </message>
    <message>
        <source>&amp;Add the unit</source>
        <translation>&amp;Thêm đơn vị</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Not added: fix the fields marked in red.</source>
        <translation>Chưa thêm: hãy sửa các ô được đánh dấu đỏ.</translation>
    </message>
</context>
<context>
    <name>ApprovedDialog</name>
    <message>
        <source>Amount approved</source>
        <translation>Số tiền được duyệt</translation>
    </message>
    <message>
        <source>Claim #{id}: {worker}, {kind}, {start} – {end}. Asked: {days} days, {amount} VND.</source>
        <translation>Yêu cầu #{id}: {worker}, {kind}, {start} – {end}. Đề nghị: {days} ngày, {amount} đồng.</translation>
    </message>
    <message>
        <source>Amount approved (VND)</source>
        <translation>Số tiền được duyệt (đồng)</translation>
    </message>
    <message>
        <source>Days approved</source>
        <translation>Số ngày được duyệt</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>&amp;Amount approved (VND):</source>
        <translation>&amp;Số tiền được duyệt (đồng):</translation>
    </message>
    <message>
        <source>&amp;Days approved:</source>
        <translation>Số &amp;ngày được duyệt:</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>&amp;Ghi chú:</translation>
    </message>
    <message>
        <source>&amp;Record</source>
        <translation>&amp;Ghi nhận</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Type the amount in đồng (for example 1.250.000) and the days as a number.</source>
        <translation>Nhập số tiền bằng đồng (ví dụ 1.250.000) và số ngày bằng chữ số.</translation>
    </message>
    <message>
        <source>Type the amount Social Security approved.</source>
        <translation>Nhập số tiền cơ quan BHXH đã duyệt.</translation>
    </message>
    <message>
        <source>No amount was asked for this claim.</source>
        <translation>Yêu cầu này chưa có số tiền đề nghị.</translation>
    </message>
    <message>
        <source>Difference: none, the amount asked was approved.</source>
        <translation>Không chênh lệch: được duyệt đúng số tiền đề nghị.</translation>
    </message>
    <message>
        <source>Difference from the amount asked: {difference} VND.</source>
        <translation>Chênh lệch so với số tiền đề nghị: {difference} đồng.</translation>
    </message>
</context>
<context>
    <name>ClaimEditor</name>
    <message>
        <source>Days asked (empty: counted)</source>
        <translation>Số ngày đề nghị (để trống: tự tính)</translation>
    </message>
    <message>
        <source>Worker</source>
        <translation>Người lao động</translation>
    </message>
    <message>
        <source>counted</source>
        <translation>tự tính</translation>
    </message>
    <message>
        <source>Choose &amp;worker…</source>
        <translation>&amp;Chọn người lao động…</translation>
    </message>
    <message>
        <source>&amp;Add claim</source>
        <translation>&amp;Thêm yêu cầu</translation>
    </message>
    <message>
        <source>Clear form</source>
        <translation>Xóa trắng</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>&amp;Xóa</translation>
    </message>
    <message>
        <source>New claim</source>
        <translation>Yêu cầu mới</translation>
    </message>
    <message>
        <source>Choose the worker and the benefit, then the dates: the days and the amount follow as you type.</source>
        <translation>Chọn người lao động và chế độ, rồi nhập ngày nghỉ: số ngày và số tiền được tính ngay khi gõ.</translation>
    </message>
    <message>
        <source>Claim #{id}</source>
        <translation>Yêu cầu #{id}</translation>
    </message>
    <message>
        <source>&amp;Save changes</source>
        <translation>&amp;Lưu thay đổi</translation>
    </message>
    <message>
        <source>Change what is needed and press Save changes. A claim already in a draft list is taken out of it, to be put in a list again.</source>
        <translation>Sửa những gì cần rồi bấm Lưu thay đổi. Yêu cầu đã nằm trong danh sách nháp sẽ được đưa ra khỏi danh sách đó, để lập lại danh sách sau.</translation>
    </message>
    <message>
        <source>This claim is in a list that is {state}: it can no longer be changed.</source>
        <translation>Yêu cầu này nằm trong danh sách ở trạng thái {state}: không sửa được nữa.</translation>
    </message>
    <message>
        <source>No worker chosen yet.</source>
        <translation>Chưa chọn người lao động.</translation>
    </message>
    <message>
        <source>Choose the worker</source>
        <translation>Chọn người lao động</translation>
    </message>
    <message>
        <source>Days and amount: not computed yet.</source>
        <translation>Số ngày và số tiền: chưa tính được.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{days} days, {amount} VND&lt;/b&gt;</source>
        <translation>&lt;b&gt;{days} ngày, {amount} đồng&lt;/b&gt;</translation>
    </message>
    <message>
        <source>… and {count} more.</source>
        <translation>… và {count} lỗi khác.</translation>
    </message>
    <message>
        <source>No problems.</source>
        <translation>Không có vấn đề.</translation>
    </message>
    <message>
        <source>Choose the worker first.</source>
        <translation>Hãy chọn người lao động trước.</translation>
    </message>
    <message>
        <source>Not saved: fix the fields marked in red. What you typed is kept.</source>
        <translation>Chưa lưu: hãy sửa các ô được đánh dấu đỏ. Những gì đã nhập vẫn được giữ.</translation>
    </message>
    <message>
        <source>Claim #{id} was added.</source>
        <translation>Đã thêm yêu cầu #{id}.</translation>
    </message>
    <message>
        <source>Claim #{id} was saved.</source>
        <translation>Đã lưu yêu cầu #{id}.</translation>
    </message>
</context>
<context>
    <name>ClaimTableModel</name>
    <message>
        <source>Worker</source>
        <translation>Người lao động</translation>
    </message>
    <message>
        <source>Benefit</source>
        <translation>Chế độ</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Từ ngày</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Đến ngày</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Số ngày</translation>
    </message>
    <message>
        <source>Expected (VND)</source>
        <translation>Số tiền đề nghị (đồng)</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Lỗi cần sửa</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Approved (VND)</source>
        <translation>Được duyệt (đồng)</translation>
    </message>
    <message>
        <source>Difference (VND)</source>
        <translation>Chênh lệch (đồng)</translation>
    </message>
</context>
<context>
    <name>ClaimsScreen</name>
    <message>
        <source>Sickness and maternity benefits</source>
        <translation>Chế độ ốm đau, thai sản</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Kỳ kê khai</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>Mọi trạng thái</translation>
    </message>
    <message>
        <source>Pe&amp;riod:</source>
        <translation>&amp;Kỳ kê khai:</translation>
    </message>
    <message>
        <source>S&amp;tate:</source>
        <translation>&amp;Trạng thái:</translation>
    </message>
    <message>
        <source>&amp;New claim</source>
        <translation>Yêu cầu &amp;mới</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>&amp;Nhập từ bảng tính…</translation>
    </message>
    <message>
        <source>Import claims from a spreadsheet</source>
        <translation>Nhập các yêu cầu từ bảng tính</translation>
    </message>
    <message>
        <source>Make the &amp;lists…</source>
        <translation>&amp;Lập danh sách đề nghị…</translation>
    </message>
    <message>
        <source>Amount a&amp;pproved…</source>
        <translation>Số tiền được &amp;duyệt…</translation>
    </message>
    <message>
        <source>En&amp;ter again</source>
        <translation>Lập &amp;lại</translation>
    </message>
    <message>
        <source>A rejected claim as a new one, to mend and put in a later list</source>
        <translation>Lập lại yêu cầu bị từ chối thành yêu cầu mới, để sửa rồi đưa vào danh sách sau</translation>
    </message>
    <message>
        <source>Claims</source>
        <translation>Các yêu cầu hưởng chế độ</translation>
    </message>
    <message>
        <source>Rows not imported</source>
        <translation>Các dòng không nhập được</translation>
    </message>
    <message>
        <source>Loading claims…</source>
        <translation>Đang tải danh sách…</translation>
    </message>
    <message>
        <source>All periods</source>
        <translation>Tất cả các kỳ</translation>
    </message>
    <message>
        <source>{count} claims</source>
        <translation>{count} yêu cầu</translation>
    </message>
    <message>
        <source>{shown} of {count} claims</source>
        <translation>{shown} / {count} yêu cầu</translation>
    </message>
    <message>
        <source>Remove claim</source>
        <translation>Xóa yêu cầu</translation>
    </message>
    <message>
        <source>Remove claim #{id} of {worker}?</source>
        <translation>Xóa yêu cầu #{id} của {worker}?</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Import claims</source>
        <translation>Nhập yêu cầu hưởng chế độ</translation>
    </message>
    <message>
        <source>Enter again</source>
        <translation>Lập lại yêu cầu</translation>
    </message>
    <message>
        <source>Row {row}: {messages}</source>
        <translation>Dòng {row}: {messages}</translation>
    </message>
</context>
<context>
    <name>CompanyScreen</name>
    <message>
        <source>Company</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>A&amp;dd a unit…</source>
        <translation>Thêm &amp;đơn vị…</translation>
    </message>
    <message>
        <source>Keep another employer in the same data (an accounting office, a branch)</source>
        <translation>Quản lý thêm một đơn vị trong cùng dữ liệu (văn phòng dịch vụ kế toán, chi nhánh)</translation>
    </message>
    <message>
        <source>The unit&apos;s profile as it appears on every form (TK3-TS). Changes are saved as you type; fields marked * are required.</source>
        <translation>Thông tin đơn vị như trên mọi tờ khai (TK3-TS). Thay đổi được lưu ngay khi nhập; các ô có dấu * là bắt buộc.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Đã lưu.</translation>
    </message>
    <message>
        <source>Not saved yet: fix the fields marked in red. What you typed is kept.</source>
        <translation>Chưa lưu: hãy sửa các ô tô đỏ. Những gì đã nhập vẫn được giữ lại.</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>Stored workers that differ</source>
        <translation>Người lao động đã lưu có thông tin khác</translation>
    </message>
    <message>
        <source>The version typed here</source>
        <translation>Bản vừa nhập</translation>
    </message>
    <message>
        <source>Keep the stored version</source>
        <translation>Giữ bản đã lưu</translation>
    </message>
    <message>
        <source>Use the version typed here</source>
        <translation>Dùng bản vừa nhập</translation>
    </message>
    <message>
        <source>A number you typed already belongs to a stored worker whose name, date of birth or other number is not the same. Nothing changes unless you choose to use the version typed here.</source>
        <translation>Một mã số vừa nhập đã thuộc về một người lao động đã lưu có họ tên, ngày sinh hoặc mã số khác. Không có gì thay đổi trừ khi bạn chọn dùng bản vừa nhập.</translation>
    </message>
    <message>
        <source>The file&apos;s version</source>
        <translation>Bản trong tệp</translation>
    </message>
    <message>
        <source>Use the file&apos;s version</source>
        <translation>Dùng bản trong tệp</translation>
    </message>
    <message>
        <source>These rows found a stored worker by one number, but the name, date of birth or another number is not the same. Nothing changes for these workers unless you choose to use the file&apos;s version.</source>
        <translation>Các dòng này khớp với một người lao động đã lưu theo một mã số, nhưng họ tên, ngày sinh hoặc mã số khác lại không giống. Những người này không thay đổi trừ khi bạn chọn dùng bản trong tệp.</translation>
    </message>
    <message>
        <source>Which version is right?</source>
        <translation>Bản nào đúng?</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Dòng</translation>
    </message>
    <message>
        <source>Worker</source>
        <translation>Người lao động</translation>
    </message>
    <message>
        <source>Differs in</source>
        <translation>Khác ở</translation>
    </message>
    <message>
        <source>Stored version</source>
        <translation>Bản đã lưu</translation>
    </message>
    <message>
        <source>Choice</source>
        <translation>Lựa chọn</translation>
    </message>
    <message>
        <source>Workers that differ</source>
        <translation>Người lao động có thông tin khác</translation>
    </message>
    <message>
        <source>Keep every stored version</source>
        <translation>Giữ mọi bản đã lưu</translation>
    </message>
    <message>
        <source>Use the file&apos;s version for all</source>
        <translation>Dùng bản trong tệp cho tất cả</translation>
    </message>
    <message>
        <source>&amp;Apply the choices</source>
        <translation>Á&amp;p dụng lựa chọn</translation>
    </message>
    <message>
        <source>Change nothing</source>
        <translation>Không thay đổi gì</translation>
    </message>
</context>
<context>
    <name>CountdownDialog</name>
    <message>
        <source>Remote signing</source>
        <translation>Ký số từ xa</translation>
    </message>
    <message>
        <source>Open the app on your phone to confirm</source>
        <translation>Mở ứng dụng trên điện thoại để xác nhận</translation>
    </message>
    <message>
        <source>Signing through {name}</source>
        <translation>Ký qua {name}</translation>
    </message>
    <message>
        <source>Sending the request…</source>
        <translation>Đang gửi yêu cầu ký…</translation>
    </message>
    <message>
        <source>Open the training &amp;phone…</source>
        <translation>Mở &amp;điện thoại thử nghiệm…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Step 1 of 2: the forms of the dossier</source>
        <translation>Bước 1/2: các tờ khai của hồ sơ</translation>
    </message>
    <message>
        <source>Step 2 of 2: the dossier envelope (BHXHDienTu.xml)</source>
        <translation>Bước 2/2: tệp hồ sơ tổng (BHXHDienTu.xml)</translation>
    </message>
    <message>
        <source>Time left: {time}</source>
        <translation>Còn lại: {time}</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Đang dừng…</translation>
    </message>
</context>
<context>
    <name>DatabaseBox</name>
    <message>
        <source>Database</source>
        <translation>Cơ sở dữ liệu</translation>
    </message>
    <message>
        <source>In use:</source>
        <translation>Đang dùng:</translation>
    </message>
    <message>
        <source>A shared office keeps its data on a PostgreSQL server; every officer&apos;s computer works on it. The password is kept in the Windows Credential Manager.</source>
        <translation>Văn phòng dùng chung giữ dữ liệu trên một máy chủ PostgreSQL; máy của mọi cán bộ cùng làm việc trên đó. Mật khẩu được giữ trong Trình quản lý thông tin đăng nhập của Windows.</translation>
    </message>
    <message>
        <source>Server (name or address)</source>
        <translation>Máy chủ (tên hoặc địa chỉ)</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Cổng</translation>
    </message>
    <message>
        <source>Database name</source>
        <translation>Tên cơ sở dữ liệu</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Người dùng</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Cổng:</translation>
    </message>
    <message>
        <source>Ser&amp;ver:</source>
        <translation>&amp;Máy chủ:</translation>
    </message>
    <message>
        <source>Database na&amp;me:</source>
        <translation>&amp;Tên cơ sở dữ liệu:</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Mật &amp;khẩu:</translation>
    </message>
    <message>
        <source>U&amp;ser:</source>
        <translation>&amp;Người dùng:</translation>
    </message>
    <message>
        <source>&amp;Test the connection</source>
        <translation>Kiểm tra kết nố&amp;i</translation>
    </message>
    <message>
        <source>Use this ser&amp;ver</source>
        <translation>&amp;Dùng máy chủ này</translation>
    </message>
    <message>
        <source>Back to the data on this &amp;computer</source>
        <translation>&amp;Quay về dữ liệu trên máy này</translation>
    </message>
    <message>
        <source>the file on this computer: {url}</source>
        <translation>tệp trên máy này: {url}</translation>
    </message>
    <message>
        <source>the shared server: {url}</source>
        <translation>máy chủ dùng chung: {url}</translation>
    </message>
    <message>
        <source>Chosen for this run by IBHXH_DATABASE_URL or --database: a choice made here takes effect once they are not set.</source>
        <translation>Lần chạy này do IBHXH_DATABASE_URL hoặc --database chọn: lựa chọn ở đây chỉ có tác dụng khi chúng không được đặt.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Đang kết nối…</translation>
    </message>
    <message>
        <source>The server answers: {url}.</source>
        <translation>Máy chủ trả lời: {url}.</translation>
    </message>
    <message>
        <source>{url} is chosen, but its data did not open here; start the program again to work on it.</source>
        <translation>Đã chọn {url}, nhưng dữ liệu ở đó chưa mở được trong cửa sổ này; hãy mở lại chương trình để làm việc trên đó.</translation>
    </message>
    <message>
        <source>Now working on {url}.</source>
        <translation>Từ nay làm việc trên {url}.</translation>
    </message>
</context>
<context>
    <name>DeclarationsScreen</name>
    <message>
        <source>Declarations</source>
        <translation>Kê khai</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Kỳ kê khai</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>All procedures</source>
        <translation>Tất cả thủ tục</translation>
    </message>
    <message>
        <source>Pe&amp;riod:</source>
        <translation>&amp;Kỳ kê khai:</translation>
    </message>
    <message>
        <source>Pro&amp;cedure:</source>
        <translation>&amp;Thủ tục:</translation>
    </message>
    <message>
        <source>&amp;New declaration…</source>
        <translation>Lập hồ sơ &amp;mới…</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Mở</translation>
    </message>
    <message>
        <source>Dossiers</source>
        <translation>Danh sách hồ sơ</translation>
    </message>
    <message>
        <source>Enter or a double click opens a dossier. A draft can be changed; a signed or sent one can only be read.</source>
        <translation>Nhấn Enter hoặc nhấp đúp để mở hồ sơ. Hồ sơ nháp sửa được; hồ sơ đã ký hoặc đã gửi chỉ xem được.</translation>
    </message>
    <message>
        <source>All periods</source>
        <translation>Tất cả các kỳ</translation>
    </message>
</context>
<context>
    <name>DeclareDialog</name>
    <message>
        <source>Make the claim lists</source>
        <translation>Lập danh sách đề nghị</translation>
    </message>
    <message>
        <source>The {count} claims in no list yet go into the lists of the month: one dossier for sickness (630a), one for maternity (630b), one for convalescence (630c). A claim with a problem stops it: then nothing is made.</source>
        <translation>{count} yêu cầu chưa có trong danh sách nào được đưa vào các danh sách của tháng: một hồ sơ ốm đau (630a), một hồ sơ thai sản (630b), một hồ sơ dưỡng sức (630c). Chỉ cần một yêu cầu còn lỗi thì không lập hồ sơ nào.</translation>
    </message>
    <message>
        <source>Month of the lists</source>
        <translation>Tháng đề nghị</translation>
    </message>
    <message>
        <source>&amp;Month (mm/yyyy):</source>
        <translation>&amp;Tháng (mm/yyyy):</translation>
    </message>
    <message>
        <source>The lists were made as drafts. Choose one to open it, sign and send it, print it on paper or follow it.</source>
        <translation>Đã lập các danh sách ở dạng nháp. Chọn một danh sách để mở, ký và gửi, in ra giấy hoặc theo dõi.</translation>
    </message>
    <message>
        <source>Dossiers made</source>
        <translation>Các hồ sơ đã lập</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Mở</translation>
    </message>
    <message>
        <source>&amp;Sign and send…</source>
        <translation>&amp;Ký và gửi…</translation>
    </message>
    <message>
        <source>&amp;Print on paper…</source>
        <translation>&amp;In hồ sơ giấy…</translation>
    </message>
    <message>
        <source>&amp;Tracking</source>
        <translation>&amp;Theo dõi</translation>
    </message>
    <message>
        <source>&amp;Make the lists</source>
        <translation>&amp;Lập danh sách</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Making the lists…</source>
        <translation>Đang lập danh sách…</translation>
    </message>
    <message>
        <source>Dossier {id} · {procedure} – {name} · period {period} · {count} claims</source>
        <translation>Hồ sơ {id} · {procedure} – {name} · kỳ {period} · {count} yêu cầu</translation>
    </message>
</context>
<context>
    <name>DossierListModel</name>
    <message>
        <source>No.</source>
        <translation>Số</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Kỳ kê khai</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>Số dòng</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Ngày lập</translation>
    </message>
</context>
<context>
    <name>Editor</name>
    <message>
        <source>← All declarations</source>
        <translation>← Danh sách hồ sơ</translation>
    </message>
    <message>
        <source>&amp;Add workers…</source>
        <translation>&amp;Thêm người lao động…</translation>
    </message>
    <message>
        <source>Add all &amp;new workers</source>
        <translation>Thêm mọi người &amp;mới</translation>
    </message>
    <message>
        <source>&amp;Remove line</source>
        <translation>&amp;Xóa dòng</translation>
    </message>
    <message>
        <source>&amp;Sign and send…</source>
        <translation>&amp;Ký và gửi…</translation>
    </message>
    <message>
        <source>Declaration lines</source>
        <translation>Các dòng kê khai</translation>
    </message>
    <message>
        <source>Say what changes: it is saved at once and the problems below follow. The unit&apos;s details themselves come from the Company screen.</source>
        <translation>Ghi nội dung thay đổi: nội dung được lưu ngay và các lỗi bên dưới cập nhật theo. Thông tin của đơn vị lấy từ màn hình Đơn vị.</translation>
    </message>
    <message>
        <source>{code} × {count}: {name}</source>
        <translation>{code} × {count}: {name}</translation>
    </message>
    <message>
        <source>Contributions for the period</source>
        <translation>Số phải đóng trong kỳ</translation>
    </message>
    <message>
        <source>Fund</source>
        <translation>Quỹ</translation>
    </message>
    <message>
        <source>Employer</source>
        <translation>Đơn vị đóng</translation>
    </message>
    <message>
        <source>Worker</source>
        <translation>Người lao động đóng</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Tổng cộng</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Lỗi cần sửa</translation>
    </message>
    <message>
        <source>Click one to go to the field.</source>
        <translation>Bấm vào một lỗi để đến ô cần sửa.</translation>
    </message>
    <message>
        <source>Claims of the list</source>
        <translation>Các yêu cầu trong danh sách</translation>
    </message>
    <message>
        <source>Open in the &amp;benefits screen</source>
        <translation>Mở ở màn hình &amp;chế độ ốm đau, thai sản</translation>
    </message>
    <message>
        <source>Dossier {id} · {procedure} · period {period}</source>
        <translation>Hồ sơ {id} · {procedure} · kỳ {period}</translation>
    </message>
    <message>
        <source>A list of benefit claims: its claims are entered and changed in the benefits screen (a changed claim leaves the list until it is made again).</source>
        <translation>Danh sách đề nghị hưởng chế độ: các yêu cầu được nhập và sửa ở màn hình chế độ ốm đau, thai sản (yêu cầu đã sửa ra khỏi danh sách cho đến khi lập lại).</translation>
    </message>
    <message>
        <source>Type in the table: each change is saved at once and the totals and problems below follow. Plan codes come from the code list (F2 or a double click opens the list).</source>
        <translation>Nhập thẳng vào bảng: mỗi thay đổi được lưu ngay, số phải đóng và danh sách lỗi bên dưới cập nhật theo. Phương án chọn từ danh mục (nhấn F2 hoặc nhấp đúp để mở danh sách).</translation>
    </message>
    <message>
        <source>This dossier is {state}: it can no longer be changed. Its history is under Tracking.</source>
        <translation>Hồ sơ này ở trạng thái {state}: không sửa được nữa. Lịch sử xem ở mục Theo dõi.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Đang kiểm tra…</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>Chưa lưu</translation>
    </message>
    <message>
        <source>Every new worker is already in this declaration.</source>
        <translation>Mọi người lao động mới đã có trong hồ sơ này.</translation>
    </message>
    <message>
        <source>No rates are known for this period.</source>
        <translation>Chưa có tỷ lệ đóng cho kỳ này.</translation>
    </message>
    <message>
        <source>{count} workers; minimum wage region {region}.</source>
        <translation>{count} người lao động; lương tối thiểu vùng {region}.</translation>
    </message>
    <message>
        <source>{count} with nothing due because of leave.</source>
        <translation>{count} người không phải đóng do nghỉ.</translation>
    </message>
    <message>
        <source>{count} raised to the minimum wage.</source>
        <translation>{count} người được nâng lên mức lương tối thiểu.</translation>
    </message>
    <message>
        <source>{code} × {count}: one per worker without a BHXH number</source>
        <translation>{code} × {count}: mỗi người chưa có mã số BHXH một tờ</translation>
    </message>
    <message>
        <source>{code}: supporting documents for late or retroactive lines</source>
        <translation>{code}: văn bản kèm theo cho các dòng khai chậm hoặc truy thu</translation>
    </message>
    <message>
        <source>Forms in this dossier:</source>
        <translation>Các mẫu trong hồ sơ:</translation>
    </message>
    <message>
        <source>{form} row {row}: {message}</source>
        <translation>{form} dòng {row}: {message}</translation>
    </message>
    <message>
        <source>{count} problem(s) to fix before the dossier can be signed.</source>
        <translation>Còn {count} lỗi phải sửa trước khi ký hồ sơ.</translation>
    </message>
    <message>
        <source>No problems: the dossier is ready to sign and send.</source>
        <translation>Không có lỗi: hồ sơ sẵn sàng để ký và gửi.</translation>
    </message>
</context>
<context>
    <name>FieldPanel</name>
    <message>
        <source>Problem: {field}</source>
        <translation>Lỗi: {field}</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Welcome to iBHXH</source>
        <translation>Chào mừng đến với iBHXH</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; &amp;Quay lại</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>&amp;Tiếp &gt;</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Để sau</translation>
    </message>
    <message>
        <source>Open the program without setting it up now</source>
        <translation>Mở chương trình mà chưa cài đặt</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>Xin chào</translation>
    </message>
    <message>
        <source>This program prepares the monthly social-insurance declarations (D02-LT, TK1-TS, TK3-TS, D01-TS), checks every identifier, computes the contributions, signs with the company&apos;s USB token and sends to the Social Security gateway. When sending fails, it prints the paper dossier.</source>
        <translation>Chương trình lập hồ sơ kê khai BHXH, BHYT, BHTN hằng tháng (D02-LT, TK1-TS, TK3-TS, D01-TS), kiểm tra mọi mã số, tính số phải đóng, ký bằng USB token của đơn vị và gửi lên cổng tiếp nhận của BHXH. Khi không gửi được, chương trình in hồ sơ giấy.</translation>
    </message>
    <message>
        <source>&amp;Set up my company</source>
        <translation>&amp;Khai báo đơn vị của tôi</translation>
    </message>
    <message>
        <source>&amp;Try with demo data</source>
        <translation>&amp;Dùng thử với dữ liệu mẫu</translation>
    </message>
    <message>
        <source>A demo company with 25 workers and a draft declaration, a demo certificate and a sandbox gateway on this computer: try everything without a real filing.</source>
        <translation>Một đơn vị mẫu với 25 người lao động và một hồ sơ nháp, chứng thư số mẫu và cổng thử nghiệm trên máy này: dùng thử mọi chức năng mà không nộp hồ sơ thật.</translation>
    </message>
    <message>
        <source>As on the business licence and the last Social Security notice. Fields marked * are required.</source>
        <translation>Theo giấy phép kinh doanh và thông báo gần nhất của cơ quan BHXH. Các ô có dấu * là bắt buộc.</translation>
    </message>
    <message>
        <source>Plug in the company&apos;s USB token and press Find. The program knows the drivers of Viettel-CA, VNPT-CA, BKAV-CA, FPT-CA and others; if yours is not found, give the path of its PKCS#11 library (a .dll).</source>
        <translation>Cắm USB token của đơn vị rồi nhấn Tìm. Chương trình nhận biết trình điều khiển của Viettel-CA, VNPT-CA, BKAV-CA, FPT-CA và các nhà cung cấp khác; nếu không tìm thấy, hãy chỉ đường dẫn tới thư viện PKCS#11 của token (tệp .dll).</translation>
    </message>
    <message>
        <source>Token module (PKCS#11 library)</source>
        <translation>Thư viện token (PKCS#11)</translation>
    </message>
    <message>
        <source>found automatically</source>
        <translation>tự tìm</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>&amp;Tìm</translation>
    </message>
    <message>
        <source>Four short steps: the company&apos;s profile, the USB token, the gateway, the registration for electronic filing.</source>
        <translation>Bốn bước ngắn: thông tin đơn vị, USB token, cổng tiếp nhận, đăng ký giao dịch điện tử.</translation>
    </message>
    <message>
        <source>Sign with the demo certificate</source>
        <translation>Ký bằng chứng thư số mẫu</translation>
    </message>
    <message>
        <source>Sign remotely: the training service, approved on a training phone</source>
        <translation>Ký từ xa: dịch vụ ký thử nghiệm, xác nhận trên điện thoại thử nghiệm</translation>
    </message>
    <message>
        <source>1/4 · The company</source>
        <translation>1/4 · Đơn vị</translation>
    </message>
    <message>
        <source>2/4 · The USB token</source>
        <translation>2/4 · USB token</translation>
    </message>
    <message>
        <source>3/4 · The gateway</source>
        <translation>3/4 · Cổng tiếp nhận</translation>
    </message>
    <message>
        <source>&amp;Sandbox gateway on this computer (to practise first)</source>
        <translation>Cổng &amp;thử nghiệm trên máy này (để tập trước)</translation>
    </message>
    <message>
        <source>The Social Security &amp;gateway</source>
        <translation>&amp;Cổng tiếp nhận của BHXH</translation>
    </message>
    <message>
        <source>Gateway address</source>
        <translation>Địa chỉ cổng tiếp nhận</translation>
    </message>
    <message>
        <source>Trial account password</source>
        <translation>Mật khẩu tài khoản dùng thử</translation>
    </message>
    <message>
        <source>trial account password (units without a token)</source>
        <translation>mật khẩu tài khoản dùng thử (đơn vị chưa có token)</translation>
    </message>
    <message>
        <source>This can be changed at any time under Settings.</source>
        <translation>Có thể thay đổi bất cứ lúc nào ở mục Cài đặt.</translation>
    </message>
    <message>
        <source>4/4 · Registering for electronic filing</source>
        <translation>4/4 · Đăng ký giao dịch điện tử</translation>
    </message>
    <message>
        <source>Before its first electronic dossier the unit registers with the gateway (form 04/ĐK-IVAN), signed with its digital certificate. A unit without one yet asks for a trial password instead. This can also be done later under Settings.</source>
        <translation>Trước hồ sơ điện tử đầu tiên, đơn vị đăng ký giao dịch điện tử với cổng tiếp nhận (mẫu 04/ĐK-IVAN), ký bằng chữ ký số của đơn vị. Đơn vị chưa có chữ ký số thì xin mật khẩu dùng thử. Có thể làm việc này sau, trong Cài đặt.</translation>
    </message>
    <message>
        <source>&amp;Finish</source>
        <translation>&amp;Hoàn tất</translation>
    </message>
    <message>
        <source>Fix the fields marked in red.</source>
        <translation>Hãy sửa các ô tô đỏ.</translation>
    </message>
    <message>
        <source>Looking for tokens…</source>
        <translation>Đang tìm token…</translation>
    </message>
    <message>
        <source>Found: {label} · {name} · {days} days left</source>
        <translation>Đã tìm thấy: {label} · {name} · còn {days} ngày</translation>
    </message>
    <message>
        <source>No token found yet. You can go on and plug it in later.</source>
        <translation>Chưa tìm thấy token. Có thể tiếp tục và cắm token sau.</translation>
    </message>
    <message>
        <source>Connecting to the gateway…</source>
        <translation>Đang kết nối với cổng tiếp nhận…</translation>
    </message>
    <message>
        <source>Preparing the demo company and starting the sandbox gateway…</source>
        <translation>Đang tạo đơn vị mẫu và khởi động cổng thử nghiệm…</translation>
    </message>
</context>
<context>
    <name>Funds</name>
    <message>
        <source>Social insurance (BHXH)</source>
        <translation>Bảo hiểm xã hội (BHXH)</translation>
    </message>
    <message>
        <source>Health insurance (BHYT)</source>
        <translation>Bảo hiểm y tế (BHYT)</translation>
    </message>
    <message>
        <source>Unemployment (BHTN)</source>
        <translation>Bảo hiểm thất nghiệp (BHTN)</translation>
    </message>
    <message>
        <source>Work accident (BHTNLĐ-BNN)</source>
        <translation>Tai nạn lao động, bệnh nghề nghiệp (BHTNLĐ-BNN)</translation>
    </message>
</context>
<context>
    <name>ImportFlow</name>
    <message>
        <source>Spreadsheets (*.xlsx *.xls *.ods *.csv);;All files (*)</source>
        <translation>Bảng tính (*.xlsx *.xls *.ods *.csv);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Reading {file}…</source>
        <translation>Đang đọc {file}…</translation>
    </message>
    <message>
        <source>Choose what the columns of {file} hold.</source>
        <translation>Hãy chọn thông tin mà các cột của {file} chứa.</translation>
    </message>
    <message>
        <source>Nothing was imported.</source>
        <translation>Không nhập được gì.</translation>
    </message>
    <message>
        <source>Importing {file}…</source>
        <translation>Đang nhập {file}…</translation>
    </message>
</context>
<context>
    <name>LockedScreen</name>
    <message>
        <source>This computer cannot open the shared data yet. Ask to join in Settings → Officers; once a signer lets you in, the screens open by themselves within half a minute (or choose Refresh there).</source>
        <translation>Máy này chưa mở được dữ liệu dùng chung. Hãy xin tham gia ở Cài đặt → Cán bộ; khi người ký đã cho vào, các màn hình tự mở trong vòng nửa phút (hoặc bấm Làm mới ở đó).</translation>
    </message>
    <message>
        <source>Open &amp;Settings</source>
        <translation>Mở &amp;Cài đặt</translation>
    </message>
</context>
<context>
    <name>LockedSettings</name>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Navigation</source>
        <translation>Điều hướng</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <source>Workers</source>
        <translation>Người lao động</translation>
    </message>
    <message>
        <source>Declarations</source>
        <translation>Kê khai</translation>
    </message>
    <message>
        <source>Sign and send</source>
        <translation>Ký và gửi</translation>
    </message>
    <message>
        <source>Sickness, maternity</source>
        <translation>Ốm đau, thai sản</translation>
    </message>
    <message>
        <source>Tracking</source>
        <translation>Theo dõi</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>iBHXH – social insurance declarations</source>
        <translation>iBHXH – Kê khai BHXH, BHYT, BHTN điện tử</translation>
    </message>
    <message>
        <source>iBHXH – {unit}</source>
        <translation>iBHXH – {unit}</translation>
    </message>
    <message>
        <source>Work of this unit is still running in the background (a check, an import, a signing or a sending). Wait for it to end, then choose the other unit again.</source>
        <translation>Công việc của đơn vị này vẫn đang chạy nền (kiểm tra, nhập tệp, ký hoặc gửi). Hãy chờ xong rồi chọn lại đơn vị kia.</translation>
    </message>
    <message>
        <source>Waiting on the phone: {count}</source>
        <translation>Chờ ký trên điện thoại: {count}</translation>
    </message>
    <message>
        <source>No token plugged in</source>
        <translation>Chưa cắm token</translation>
    </message>
    <message>
        <source>Plug in the company&apos;s USB token to sign. Settings → Token module if it is not found.</source>
        <translation>Cắm USB token của đơn vị để ký. Nếu không nhận, vào Cài đặt → Thư viện token.</translation>
    </message>
    <message>
        <source>Token {label}: no certificate</source>
        <translation>Token {label}: không có chứng thư số</translation>
    </message>
    <message>
        <source>Token {label}: certificate expired</source>
        <translation>Token {label}: chứng thư số đã hết hạn</translation>
    </message>
    <message>
        <source>Token {label}: certificate expires in {days} days</source>
        <translation>Token {label}: chứng thư số còn {days} ngày</translation>
    </message>
    <message>
        <source> (+{count} more)</source>
        <translation> (và {count} token khác)</translation>
    </message>
    <message>
        <source>Gateway: sandbox (training)</source>
        <translation>Cổng: thử nghiệm (tập huấn)</translation>
    </message>
    <message>
        <source>Gateway: {url}</source>
        <translation>Cổng: {url}</translation>
    </message>
</context>
<context>
    <name>MappingDialog</name>
    <message>
        <source>Columns of {file}</source>
        <translation>Các cột của {file}</translation>
    </message>
    <message>
        <source>Which column holds what?</source>
        <translation>Cột nào chứa thông tin gì?</translation>
    </message>
    <message>
        <source>Some columns of the sheet were not recognised. Choose what each one holds, or Ignore. The choice is remembered for files with the same columns.</source>
        <translation>Chương trình chưa nhận ra một số cột của bảng tính. Hãy chọn thông tin mà mỗi cột chứa, hoặc Bỏ qua. Lựa chọn được ghi nhớ cho các tệp có cùng các cột.</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>Cột</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>Tiêu đề cột</translation>
    </message>
    <message>
        <source>Values</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <source>Holds</source>
        <translation>Chứa</translation>
    </message>
    <message>
        <source>Column {letter} holds</source>
        <translation>Cột {letter} chứa</translation>
    </message>
    <message>
        <source>Ignore this column</source>
        <translation>Bỏ qua cột này</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Nhập</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Each field can come from one column only: {fields}.</source>
        <translation>Mỗi thông tin chỉ được lấy từ một cột: {fields}.</translation>
    </message>
    <message>
        <source>Still without a column: {fields}. Rows without them will be refused.</source>
        <translation>Chưa có cột cho: {fields}. Các dòng thiếu những thông tin này sẽ bị từ chối.</translation>
    </message>
    <message>
        <source>Every required field has a column.</source>
        <translation>Mọi thông tin bắt buộc đã có cột.</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>… and {count} more.</source>
        <translation>… và {count} lỗi khác.</translation>
    </message>
    <message>
        <source>Something went wrong: {detail}. The details are in the log; the data on screen is kept.</source>
        <translation>Có lỗi ngoài dự kiến: {detail}. Chi tiết đã ghi vào nhật ký; dữ liệu trên màn hình vẫn được giữ.</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
</context>
<context>
    <name>NewDeclarationDialog</name>
    <message>
        <source>New declaration</source>
        <translation>Lập hồ sơ mới</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Period (month/year)</source>
        <translation>Kỳ kê khai (tháng/năm)</translation>
    </message>
    <message>
        <source>&amp;Procedure</source>
        <translation>&amp;Thủ tục</translation>
    </message>
    <message>
        <source>P&amp;eriod (mm/yyyy)</source>
        <translation>&amp;Kỳ kê khai (mm/yyyy)</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Tạo hồ sơ</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>Office</name>
    <message>
        <source>This computer was let in: {login} works here now as {roles}.</source>
        <translation>Máy này đã được cho vào: {login} nay làm việc với vai trò {roles}.</translation>
    </message>
    <message>
        <source>This computer can no longer open the shared data: the screens with personal data are closed.</source>
        <translation>Máy này không còn mở được dữ liệu dùng chung: các màn hình có dữ liệu cá nhân đã đóng.</translation>
    </message>
    <message>
        <source>The roles of {login} are now: {roles}.</source>
        <translation>Vai trò của {login} nay là: {roles}.</translation>
    </message>
    <message>
        <source>Officer: {login} ({roles})</source>
        <translation>Cán bộ: {login} ({roles})</translation>
    </message>
    <message>
        <source>waiting to be let in</source>
        <translation>đang chờ cho vào</translation>
    </message>
    <message>
        <source>working</source>
        <translation>đang làm việc</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>đã rút ra</translation>
    </message>
</context>
<context>
    <name>OfficeBanner</name>
    <message>
        <source>Waiting for a signer to let this computer in… {why}</source>
        <translation>Chờ người ký cho phép máy này vào… {why}</translation>
    </message>
    <message>
        <source>This computer cannot open the shared data: {why} (Settings → Officers)</source>
        <translation>Máy này không mở được dữ liệu dùng chung: {why} (Cài đặt → Cán bộ)</translation>
    </message>
</context>
<context>
    <name>OfficersBox</name>
    <message>
        <source>Officers</source>
        <translation>Cán bộ</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>&amp;Làm mới</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Họ tên</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <source>Key fingerprint</source>
        <translation>Dấu vân tay khóa</translation>
    </message>
    <message>
        <source>&amp;Let in…</source>
        <translation>&amp;Cho vào…</translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation>&amp;Rút ra…</translation>
    </message>
    <message>
        <source>New data &amp;key</source>
        <translation>Thay &amp;khóa dữ liệu</translation>
    </message>
    <message>
        <source>letters without accents, digits, . _ @ -</source>
        <translation>chữ không dấu, số, . _ @ -</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ tên</translation>
    </message>
    <message>
        <source>Lo&amp;gin:</source>
        <translation>Tên đăng &amp;nhập:</translation>
    </message>
    <message>
        <source>F&amp;ull name:</source>
        <translation>&amp;Họ tên:</translation>
    </message>
    <message>
        <source>As&amp;k to join</source>
        <translation>&amp;Xin tham gia</translation>
    </message>
    <message>
        <source>Start &amp;sharing: I am the first signer</source>
        <translation>&amp;Bắt đầu dùng chung: tôi là người ký đầu tiên</translation>
    </message>
    <message>
        <source>This database is not shared yet: start sharing to let other officers&apos; computers open it.</source>
        <translation>Cơ sở dữ liệu này chưa dùng chung: hãy bắt đầu dùng chung để máy của các cán bộ khác mở được.</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Đang làm…</translation>
    </message>
    <message>
        <source>Asked as {login}. Read this key fingerprint to the signer, who compares it before letting you in: {fingerprint}</source>
        <translation>Đã xin vào với tên {login}. Hãy đọc dấu vân tay khóa này cho người ký để họ so trước khi cho vào: {fingerprint}</translation>
    </message>
    <message>
        <source>The database is shared now; {login} is its first signer.</source>
        <translation>Cơ sở dữ liệu đã dùng chung; {login} là người ký đầu tiên.</translation>
    </message>
    <message>
        <source>Choose an officer in the list first.</source>
        <translation>Hãy chọn một cán bộ trong danh sách trước.</translation>
    </message>
    <message>
        <source>{login} works here now as {roles}.</source>
        <translation>{login} đã được vào làm việc, vai trò {roles}.</translation>
    </message>
    <message>
        <source>Remove an officer</source>
        <translation>Rút cán bộ ra</translation>
    </message>
    <message>
        <source>Remove {login} ({name})? The data key will be rotated: every sealed value is sealed again under a new key, made for the officers who stay, so {login}&apos;s computer opens nothing written from now on.</source>
        <translation>Rút {login} ({name}) ra? Khóa dữ liệu sẽ được thay mới: mọi giá trị đã niêm phong được niêm phong lại bằng khóa mới, chỉ làm cho các cán bộ ở lại, nên máy của {login} không mở được gì ghi từ nay.</translation>
    </message>
    <message>
        <source>{login} was removed; the data key is a new one.</source>
        <translation>Đã rút {login}; khóa dữ liệu đã được thay mới.</translation>
    </message>
    <message>
        <source>The data key is a new one, made again for every officer.</source>
        <translation>Khóa dữ liệu đã được thay mới và làm lại cho mọi cán bộ.</translation>
    </message>
</context>
<context>
    <name>PaperDialog</name>
    <message>
        <source>Paper dossier</source>
        <translation>Hồ sơ giấy</translation>
    </message>
    <message>
        <source>The dossier {id} is printed with a cover that lists each form and the reason below. Sign and stamp it and take it to the Social Security office. It can still be signed and sent electronically later.</source>
        <translation>Hồ sơ {id} được in kèm phiếu liệt kê từng mẫu và lý do bên dưới. Ký, đóng dấu rồi nộp tại cơ quan BHXH. Sau này vẫn có thể ký và gửi hồ sơ điện tử.</translation>
    </message>
    <message>
        <source>&amp;Reason printed on the cover:</source>
        <translation>&amp;Lý do in trên phiếu:</translation>
    </message>
    <message>
        <source>Reason printed on the cover</source>
        <translation>Lý do in trên phiếu</translation>
    </message>
    <message>
        <source>Pre&amp;view and print…</source>
        <translation>&amp;Xem trước và in…</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;In…</translation>
    </message>
    <message>
        <source>Save as P&amp;DF…</source>
        <translation>Lưu thành tệp P&amp;DF…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Paper dossier {id}: preview</source>
        <translation>Hồ sơ giấy {id}: xem trước</translation>
    </message>
    <message>
        <source>Save the paper dossier</source>
        <translation>Lưu hồ sơ giấy</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>Đang in…</translation>
    </message>
</context>
<context>
    <name>PendingDialog</name>
    <message>
        <source>Signing requests waiting on the phone</source>
        <translation>Yêu cầu ký đang chờ xác nhận trên điện thoại</translation>
    </message>
    <message>
        <source>Dossier</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Dịch vụ</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Bước</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Thời gian còn lại</translation>
    </message>
    <message>
        <source>&amp;Poll now</source>
        <translation>&amp;Hỏi ngay</translation>
    </message>
    <message>
        <source>&amp;Abandon the request</source>
        <translation>&amp;Hủy yêu cầu</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Step 1/2: the forms</source>
        <translation>Bước 1/2: các tờ khai</translation>
    </message>
    <message>
        <source>Step 2/2: the envelope</source>
        <translation>Bước 2/2: tệp hồ sơ gửi đi</translation>
    </message>
    <message>
        <source>No signing request is waiting.</source>
        <translation>Không có yêu cầu ký nào đang chờ.</translation>
    </message>
    <message>
        <source>Asking the service…</source>
        <translation>Đang hỏi dịch vụ…</translation>
    </message>
    <message>
        <source>Dossier {id} is signed.</source>
        <translation>Hồ sơ {id} đã được ký.</translation>
    </message>
    <message>
        <source>The request of dossier {id} is abandoned: a later approval on the phone will not be used. The dossier is unchanged.</source>
        <translation>Yêu cầu ký của hồ sơ {id} đã bị hủy: nếu sau đó người ký xác nhận trên điện thoại, chữ ký đó không được dùng. Hồ sơ không thay đổi.</translation>
    </message>
</context>
<context>
    <name>PhoneDialog</name>
    <message>
        <source>Training phone</source>
        <translation>Điện thoại thử nghiệm</translation>
    </message>
    <message>
        <source>Requests waiting for the director&apos;s approval:</source>
        <translation>Các yêu cầu ký đang chờ giám đốc xác nhận:</translation>
    </message>
    <message>
        <source>Requests waiting</source>
        <translation>Yêu cầu đang chờ</translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation>&amp;Đồng ý</translation>
    </message>
    <message>
        <source>&amp;Reject</source>
        <translation>&amp;Từ chối</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>{description} · {files} file(s) · {time} left</source>
        <translation>{description} · {files} tệp · còn {time}</translation>
    </message>
    <message>
        <source>Nothing is waiting.</source>
        <translation>Không có yêu cầu nào đang chờ.</translation>
    </message>
    <message>
        <source>The training service did not answer.</source>
        <translation>Dịch vụ ký thử nghiệm không trả lời.</translation>
    </message>
    <message>
        <source>Approved.</source>
        <translation>Đã đồng ý.</translation>
    </message>
    <message>
        <source>Rejected.</source>
        <translation>Đã từ chối.</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <source>Token PIN</source>
        <translation>Mã PIN của token</translation>
    </message>
    <message>
        <source>Token &lt;b&gt;{label}&lt;/b&gt; (serial {serial})&lt;br&gt;Certificate: {name}&lt;br&gt;Valid until {date}</source>
        <translation>Token &lt;b&gt;{label}&lt;/b&gt; (số sê-ri {serial})&lt;br&gt;Chứng thư số: {name}&lt;br&gt;Hiệu lực đến {date}</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>Mã PIN</translation>
    </message>
    <message>
        <source>Type the PIN on the reader&apos;s own keypad, then press Continue.</source>
        <translation>Nhập mã PIN trên bàn phím của đầu đọc, rồi nhấn Tiếp tục.</translation>
    </message>
    <message>
        <source>&amp;PIN of the token:</source>
        <translation>Mã &amp;PIN của token:</translation>
    </message>
    <message>
        <source>If you are not sure of the PIN, press Cancel and ask whoever holds the token.</source>
        <translation>Nếu không chắc mã PIN, hãy nhấn Hủy và hỏi người giữ token.</translation>
    </message>
    <message>
        <source>I am &amp;sure of the PIN: send it on this final try</source>
        <translation>Tôi &amp;chắc chắn mã PIN đúng: gửi mã PIN ở lần thử cuối cùng này</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>Ký</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Tiếp tục</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>RegistrationPanel</name>
    <message>
        <source>How the registration is signed</source>
        <translation>Cách ký tờ khai đăng ký</translation>
    </message>
    <message>
        <source>USB token of the company (the PIN is asked)</source>
        <translation>USB token của đơn vị (sẽ hỏi mã PIN)</translation>
    </message>
    <message>
        <source>Certificate file (.p12, .pfx)</source>
        <translation>Tệp chứng thư (.p12, .pfx)</translation>
    </message>
    <message>
        <source>Demo certificate (training only)</source>
        <translation>Chứng thư mẫu (chỉ để tập huấn)</translation>
    </message>
    <message>
        <source>No digital certificate yet: ask for a trial password</source>
        <translation>Chưa có chữ ký số: xin mật khẩu dùng thử</translation>
    </message>
    <message>
        <source>&amp;Sign with:</source>
        <translation>&amp;Ký bằng:</translation>
    </message>
    <message>
        <source>Certificate file</source>
        <translation>Tệp chứng thư</translation>
    </message>
    <message>
        <source>Choose f&amp;ile…</source>
        <translation>Chọn tệ&amp;p…</translation>
    </message>
    <message>
        <source>Certificate file:</source>
        <translation>Tệp chứng thư:</translation>
    </message>
    <message>
        <source>Password of the certificate file</source>
        <translation>Mật khẩu của tệp chứng thư</translation>
    </message>
    <message>
        <source>File password:</source>
        <translation>Mật khẩu tệp:</translation>
    </message>
    <message>
        <source>Why electronic filing stops</source>
        <translation>Lý do ngừng giao dịch điện tử</translation>
    </message>
    <message>
        <source>needed to stop, e.g. the unit is dissolved</source>
        <translation>cần khi ngừng, ví dụ: đơn vị giải thể</translation>
    </message>
    <message>
        <source>&amp;Reason to stop:</source>
        <translation>&amp;Lý do ngừng:</translation>
    </message>
    <message>
        <source>&amp;Register</source>
        <translation>Đăn&amp;g ký</translation>
    </message>
    <message>
        <source>C&amp;hange the registration</source>
        <translation>T&amp;hay đổi đăng ký</translation>
    </message>
    <message>
        <source>S&amp;top electronic filing…</source>
        <translation>&amp;Ngừng giao dịch điện tử…</translation>
    </message>
    <message>
        <source>Send &amp;again</source>
        <translation>Gửi &amp;lại</translation>
    </message>
    <message>
        <source>&amp;Print the paper form…</source>
        <translation>&amp;In tờ khai giấy…</translation>
    </message>
    <message>
        <source>{name} · unit code {unit} · tax code {tax} · e-mail {email} · phone {phone}</source>
        <translation>{name} · mã đơn vị {unit} · mã số thuế {tax} · thư điện tử {email} · điện thoại {phone}</translation>
    </message>
    <message>
        <source>Gateway {url} · unit {unit} · login {login} by {method} · reference {reference} ({since})</source>
        <translation>Cổng {url} · đơn vị {unit} · tên đăng nhập {login}, đăng nhập bằng {method} · số tiếp nhận {reference} ({since})</translation>
    </message>
    <message>
        <source>Waiting to be sent: {form} (no. {id}). {error}</source>
        <translation>Chờ gửi: tờ khai {form} (số {id}). {error}</translation>
    </message>
    <message>
        <source>Last refused: {form} (no. {id}). {error}</source>
        <translation>Bị từ chối gần nhất: tờ khai {form} (số {id}). {error}</translation>
    </message>
    <message>
        <source>Choose the certificate file first.</source>
        <translation>Hãy chọn tệp chứng thư trước.</translation>
    </message>
    <message>
        <source>Sending the registration…</source>
        <translation>Đang gửi tờ khai đăng ký…</translation>
    </message>
    <message>
        <source>Stop electronic filing</source>
        <translation>Ngừng giao dịch điện tử</translation>
    </message>
    <message>
        <source>After this the unit cannot send dossiers electronically until it registers again. Stop electronic filing?</source>
        <translation>Sau bước này đơn vị không gửi được hồ sơ điện tử cho đến khi đăng ký lại. Ngừng giao dịch điện tử?</translation>
    </message>
    <message>
        <source>Waiting for the PIN…</source>
        <translation>Đang chờ nhập mã PIN…</translation>
    </message>
    <message>
        <source>Registered for electronic filing: unit {unit}, login {login}, by {method}. Reference {reference}.</source>
        <translation>Đã đăng ký giao dịch điện tử: đơn vị {unit}, tên đăng nhập {login}, đăng nhập bằng {method}. Số tiếp nhận {reference}.</translation>
    </message>
    <message>
        <source>The registration was changed: unit {unit}, by {method}. Reference {reference}.</source>
        <translation>Đăng ký giao dịch điện tử đã được thay đổi: đơn vị {unit}, đăng nhập bằng {method}. Số tiếp nhận {reference}.</translation>
    </message>
    <message>
        <source>Electronic filing stopped for unit {unit}. Reference {reference}.</source>
        <translation>Đơn vị {unit} đã ngừng giao dịch điện tử. Số tiếp nhận {reference}.</translation>
    </message>
    <message>
        <source>The gateway issued a trial password; it is kept in the Windows Credential Manager, never shown or written down.</source>
        <translation>Cổng đã cấp mật khẩu dùng thử; mật khẩu được giữ trong kho mật khẩu của Windows, không hiện ra và không ghi ra đâu cả.</translation>
    </message>
    <message>
        <source>Certificates (*.p12 *.pfx)</source>
        <translation>Chứng thư số (*.p12 *.pfx)</translation>
    </message>
    <message>
        <source>Save the paper form</source>
        <translation>Lưu tờ khai giấy</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Printed form {form} to {out}.</source>
        <translation>Đã in tờ khai {form} vào {out}.</translation>
    </message>
</context>
<context>
    <name>RemoteAccountBox</name>
    <message>
        <source>Remote signing</source>
        <translation>Ký từ xa</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Chọn…</translation>
    </message>
    <message>
        <source>Service:</source>
        <translation>Dịch vụ:</translation>
    </message>
    <message>
        <source>Service address:</source>
        <translation>Địa chỉ dịch vụ:</translation>
    </message>
    <message>
        <source>Service CA file:</source>
        <translation>Tệp CA của dịch vụ:</translation>
    </message>
    <message>
        <source>User id:</source>
        <translation>Mã người dùng:</translation>
    </message>
    <message>
        <source>Certificate serial:</source>
        <translation>Số hiệu chứng thư số:</translation>
    </message>
    <message>
        <source>Integrator id (sp_id):</source>
        <translation>Mã tích hợp (sp_id):</translation>
    </message>
    <message>
        <source>Integrator password:</source>
        <translation>Mật khẩu tích hợp:</translation>
    </message>
    <message>
        <source>Save the account</source>
        <translation>Lưu tài khoản</translation>
    </message>
    <message>
        <source>Show certificates</source>
        <translation>Xem chứng thư</translation>
    </message>
    <message>
        <source>Training phone…</source>
        <translation>Điện thoại thử nghiệm…</translation>
    </message>
    <message>
        <source>Certificates of the account</source>
        <translation>Các chứng thư số của tài khoản</translation>
    </message>
    <message>
        <source>kept; type to change</source>
        <translation>đã lưu; gõ để đổi</translation>
    </message>
    <message>
        <source>Client id (client_id):</source>
        <translation>Mã ứng dụng (client_id):</translation>
    </message>
    <message>
        <source>Client secret (client_secret):</source>
        <translation>Khóa bí mật ứng dụng (client_secret):</translation>
    </message>
    <message>
        <source>CA certificate of the service</source>
        <translation>Chứng thư CA của dịch vụ</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer)</source>
        <translation>Chứng thư (*.pem *.crt *.cer)</translation>
    </message>
    <message>
        <source>The sandbox gateway is not running.</source>
        <translation>Cổng thử nghiệm chưa chạy.</translation>
    </message>
    <message>
        <source>The account is saved.</source>
        <translation>Đã lưu tài khoản.</translation>
    </message>
    <message>
        <source>Asking the service…</source>
        <translation>Đang hỏi dịch vụ…</translation>
    </message>
    <message>
        <source>{name} · tax code {tax} · serial {serial} · {days} days left</source>
        <translation>{name} · mã số thuế {tax} · số hiệu {serial} · còn {days} ngày</translation>
    </message>
    <message>
        <source>{count} certificate(s). Double-click one to sign with it.</source>
        <translation>{count} chứng thư số. Nhấp đúp vào một chứng thư để ký bằng chứng thư đó.</translation>
    </message>
</context>
<context>
    <name>SendScreen</name>
    <message>
        <source>Sign and send</source>
        <translation>Ký và gửi</translation>
    </message>
    <message>
        <source>&amp;Dossier:</source>
        <translation>&amp;Hồ sơ:</translation>
    </message>
    <message>
        <source>Dossier to send</source>
        <translation>Hồ sơ cần gửi</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; &amp;Quay lại</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>&amp;Tiếp &gt;</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>1. The dossier is checked again, exactly as it will be signed.</source>
        <translation>1. Hồ sơ được kiểm tra lại, đúng như khi sẽ ký.</translation>
    </message>
    <message>
        <source>Problems found</source>
        <translation>Các lỗi tìm thấy</translation>
    </message>
    <message>
        <source>Open in the &amp;editor</source>
        <translation>Mở để &amp;sửa</translation>
    </message>
    <message>
        <source>2. Choose how to sign. The USB token of the company is the usual way; a certificate file is for units that have one.</source>
        <translation>2. Chọn cách ký. Thông thường ký bằng USB token của đơn vị; tệp chứng thư dành cho đơn vị có tệp này.</translation>
    </message>
    <message>
        <source>USB &amp;token</source>
        <translation>USB &amp;token</translation>
    </message>
    <message>
        <source>Certificate &amp;file (.p12, .pfx)</source>
        <translation>&amp;Tệp chứng thư (.p12, .pfx)</translation>
    </message>
    <message>
        <source>De&amp;mo certificate (training only)</source>
        <translation>Chứng thư &amp;mẫu (chỉ để tập huấn)</translation>
    </message>
    <message>
        <source>&amp;Remote signing (SmartCA, CA2 …)</source>
        <translation>Ký từ &amp;xa (SmartCA, CA2 …)</translation>
    </message>
    <message>
        <source>Look for &amp;tokens again</source>
        <translation>&amp;Tìm lại token</translation>
    </message>
    <message>
        <source>Certificates on the tokens</source>
        <translation>Chứng thư số trên token</translation>
    </message>
    <message>
        <source>Certificate file</source>
        <translation>Tệp chứng thư</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Chọn tệp…</translation>
    </message>
    <message>
        <source>Password of the certificate file</source>
        <translation>Mật khẩu của tệp chứng thư</translation>
    </message>
    <message>
        <source>password of the file</source>
        <translation>mật khẩu của tệp</translation>
    </message>
    <message>
        <source>Remote signing service</source>
        <translation>Dịch vụ ký số từ xa</translation>
    </message>
    <message>
        <source>3. Signing and sending. The PIN is asked for by the token; it is never kept.</source>
        <translation>3. Ký và gửi. Mã PIN được hỏi khi token cần; chương trình không bao giờ lưu mã PIN.</translation>
    </message>
    <message>
        <source>4. The gateway&apos;s receipt (Phiếu giao nhận hồ sơ).</source>
        <translation>4. Phiếu giao nhận hồ sơ của cổng tiếp nhận.</translation>
    </message>
    <message>
        <source>Follow it under &amp;Tracking</source>
        <translation>Theo dõi ở mục &amp;Theo dõi</translation>
    </message>
    <message>
        <source>&amp;Try again</source>
        <translation>&amp;Thử lại</translation>
    </message>
    <message>
        <source>Print the &amp;paper dossier…</source>
        <translation>In &amp;hồ sơ giấy…</translation>
    </message>
    <message>
        <source>No. {id} · {procedure} · period {period} · {lines} lines · {state}</source>
        <translation>Số {id} · {procedure} · kỳ {period} · {lines} dòng · {state}</translation>
    </message>
    <message>
        <source>1 Check</source>
        <translation>1 Kiểm tra</translation>
    </message>
    <message>
        <source>2 Certificate</source>
        <translation>2 Chứng thư số</translation>
    </message>
    <message>
        <source>3 Sign and send</source>
        <translation>3 Ký và gửi</translation>
    </message>
    <message>
        <source>4 Receipt</source>
        <translation>4 Phiếu giao nhận</translation>
    </message>
    <message>
        <source>Sign and &amp;send</source>
        <translation>Ký và &amp;gửi</translation>
    </message>
    <message>
        <source>Send &amp;another</source>
        <translation>Gửi hồ sơ &amp;khác</translation>
    </message>
    <message>
        <source>There is no dossier to send. Make one under Declarations.</source>
        <translation>Chưa có hồ sơ nào để gửi. Hãy lập hồ sơ ở mục Kê khai.</translation>
    </message>
    <message>
        <source>Checking dossier {id}…</source>
        <translation>Đang kiểm tra hồ sơ {id}…</translation>
    </message>
    <message>
        <source>This dossier was sent already ({state}). Its receipt and result are under Tracking.</source>
        <translation>Hồ sơ này đã gửi ({state}). Phiếu giao nhận và kết quả xem ở mục Theo dõi.</translation>
    </message>
    <message>
        <source>Dossier {id} is signed and waits to be sent.</source>
        <translation>Hồ sơ {id} đã ký và đang chờ gửi.</translation>
    </message>
    <message>
        <source>{count} problem(s) must be fixed first:</source>
        <translation>Cần sửa {count} lỗi trước:</translation>
    </message>
    <message>
        <source>No problems. {lines} lines; forms: {forms}; contributions due: {due} đồng.</source>
        <translation>Không có lỗi. {lines} dòng; các mẫu: {forms}; số phải đóng: {due} đồng.</translation>
    </message>
    <message>
        <source>Looking for tokens…</source>
        <translation>Đang tìm token…</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>đã hết hạn</translation>
    </message>
    <message>
        <source>{days} days left</source>
        <translation>còn {days} ngày</translation>
    </message>
    <message>
        <source>{label} · {subject} · tax code {tax} · {when}</source>
        <translation>{label} · {subject} · MST {tax} · {when}</translation>
    </message>
    <message>
        <source>No valid certificate of this company on the tokens found.</source>
        <translation>Không có chứng thư số còn hiệu lực của đơn vị trên các token tìm thấy.</translation>
    </message>
    <message>
        <source>No token found. Plug in the USB token, wait a few seconds and press Look for tokens again. If it is still not found, set its module under Settings.</source>
        <translation>Không tìm thấy token. Cắm USB token, chờ vài giây rồi nhấn Tìm lại token. Nếu vẫn không thấy, khai báo thư viện token ở mục Cài đặt.</translation>
    </message>
    <message>
        <source>&lt;a href=&quot;settings&quot;&gt;Settings → Remote signing&lt;/a&gt;</source>
        <translation>&lt;a href=&quot;settings&quot;&gt;Cài đặt → Ký từ xa&lt;/a&gt;</translation>
    </message>
    <message>
        <source>No remote signing account yet: set one up under {settings}.</source>
        <translation>Chưa có tài khoản ký từ xa: khai báo tại {settings}.</translation>
    </message>
    <message>
        <source>The training service of the sandbox on this computer: approve on the training phone.</source>
        <translation>Dịch vụ ký thử nghiệm của cổng thử nghiệm trên máy này: xác nhận trên điện thoại thử nghiệm.</translation>
    </message>
    <message>
        <source>The account is not complete: see {settings}.</source>
        <translation>Tài khoản chưa đủ thông tin: xem {settings}.</translation>
    </message>
    <message>
        <source>Account {user} · certificate {serial}</source>
        <translation>Tài khoản {user} · chứng thư số {serial}</translation>
    </message>
    <message>
        <source>Certificates (*.p12 *.pfx)</source>
        <translation>Chứng thư số (*.p12 *.pfx)</translation>
    </message>
    <message>
        <source>Choose a remote signing service first.</source>
        <translation>Hãy chọn dịch vụ ký từ xa trước.</translation>
    </message>
    <message>
        <source>Choose the certificate file first.</source>
        <translation>Hãy chọn tệp chứng thư trước.</translation>
    </message>
    <message>
        <source>Choose a certificate in the list first.</source>
        <translation>Hãy chọn một chứng thư trong danh sách trước.</translation>
    </message>
    <message>
        <source>Opening the certificate…</source>
        <translation>Đang mở chứng thư số…</translation>
    </message>
    <message>
        <source>Waiting for the approval on the phone…</source>
        <translation>Đang chờ xác nhận trên điện thoại…</translation>
    </message>
    <message>
        <source>Signing the dossier…</source>
        <translation>Đang ký hồ sơ…</translation>
    </message>
    <message>
        <source>Sending to the gateway…</source>
        <translation>Đang gửi lên cổng tiếp nhận…</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>Xong.</translation>
    </message>
    <message>
        <source>Waiting for the PIN…</source>
        <translation>Đang chờ nhập mã PIN…</translation>
    </message>
    <message>
        <source>Dossier number</source>
        <translation>Số hồ sơ</translation>
    </message>
    <message>
        <source>Received at</source>
        <translation>Thời điểm tiếp nhận</translation>
    </message>
    <message>
        <source>Agency</source>
        <translation>Cơ quan BHXH</translation>
    </message>
    <message>
        <source>Forms</source>
        <translation>Các mẫu</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Signed with</source>
        <translation>Ký bằng</translation>
    </message>
    <message>
        <source>Dossier {id} is still {state}: nothing was lost.</source>
        <translation>Hồ sơ {id} vẫn ở trạng thái {state}: không mất dữ liệu nào.</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <source>Language of the window</source>
        <translation>Ngôn ngữ giao diện</translation>
    </message>
    <message>
        <source>&amp;Language of the window:</source>
        <translation>&amp;Ngôn ngữ giao diện:</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Thư mục dữ liệu</translation>
    </message>
    <message>
        <source>C&amp;hange…</source>
        <translation>Đổi thư &amp;mục…</translation>
    </message>
    <message>
        <source>Folder in use:</source>
        <translation>Thư mục đang dùng:</translation>
    </message>
    <message>
        <source>Every declaration, worker and file of the company is kept here, sealed. Use Backup (command line: ibhxh backup) before moving it.</source>
        <translation>Mọi hồ sơ, người lao động và tệp của đơn vị được lưu mã hóa tại đây. Hãy sao lưu (lệnh: ibhxh backup) trước khi chuyển thư mục.</translation>
    </message>
    <message>
        <source>&amp;Back up…</source>
        <translation>&amp;Sao lưu…</translation>
    </message>
    <message>
        <source>Restore a bac&amp;kup…</source>
        <translation>&amp;Khôi phục bản sao lưu…</translation>
    </message>
    <message>
        <source>USB token</source>
        <translation>USB token</translation>
    </message>
    <message>
        <source>found automatically (Viettel-CA, VNPT-CA, BKAV-CA, FPT-CA …)</source>
        <translation>tự tìm (Viettel-CA, VNPT-CA, BKAV-CA, FPT-CA …)</translation>
    </message>
    <message>
        <source>Token module (PKCS#11 library)</source>
        <translation>Thư viện token (PKCS#11)</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Chọn tệp…</translation>
    </message>
    <message>
        <source>&amp;Find tokens</source>
        <translation>&amp;Tìm token</translation>
    </message>
    <message>
        <source>Token &amp;module:</source>
        <translation>Thư &amp;viện token:</translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation>Cổng tiếp nhận</translation>
    </message>
    <message>
        <source>&amp;Sandbox gateway on this computer (training, demo)</source>
        <translation>Cổng &amp;thử nghiệm trên máy này (tập huấn, dùng thử)</translation>
    </message>
    <message>
        <source>Social Security &amp;gateway at this address:</source>
        <translation>&amp;Cổng tiếp nhận của BHXH tại địa chỉ:</translation>
    </message>
    <message>
        <source>Gateway address</source>
        <translation>Địa chỉ cổng tiếp nhận</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>Địa &amp;chỉ:</translation>
    </message>
    <message>
        <source>Unit code</source>
        <translation>Mã đơn vị</translation>
    </message>
    <message>
        <source>&amp;Unit code:</source>
        <translation>&amp;Mã đơn vị:</translation>
    </message>
    <message>
        <source>Log in with the trial pass&amp;word</source>
        <translation>Đăng nhập bằng mật khẩu dùng t&amp;hử</translation>
    </message>
    <message>
        <source>Log in with the company&apos;s certificat&amp;e</source>
        <translation>Đăn&amp;g nhập bằng chứng thư số của đơn vị</translation>
    </message>
    <message>
        <source>Login:</source>
        <translation>Đăng nhập:</translation>
    </message>
    <message>
        <source>Trial account password</source>
        <translation>Mật khẩu tài khoản dùng thử</translation>
    </message>
    <message>
        <source>trial account (units without a token); kept in the Windows Credential Manager</source>
        <translation>tài khoản dùng thử (đơn vị chưa có token); lưu trong Windows Credential Manager</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>Mật &amp;khẩu:</translation>
    </message>
    <message>
        <source>Certificate to log in with</source>
        <translation>Chứng thư số dùng để đăng nhập</translation>
    </message>
    <message>
        <source>USB token (the PIN is asked)</source>
        <translation>USB token (sẽ hỏi mã PIN)</translation>
    </message>
    <message>
        <source>Certificate file (.p12, .pfx)</source>
        <translation>Tệp chứng thư (.p12, .pfx)</translation>
    </message>
    <message>
        <source>Demo certificate (training only)</source>
        <translation>Chứng thư mẫu (chỉ để tập huấn)</translation>
    </message>
    <message>
        <source>Ce&amp;rtificate:</source>
        <translation>&amp;Loại chứng thư:</translation>
    </message>
    <message>
        <source>Certificate file</source>
        <translation>Tệp chứng thư</translation>
    </message>
    <message>
        <source>Choose f&amp;ile…</source>
        <translation>Chọn tệ&amp;p…</translation>
    </message>
    <message>
        <source>Certificate file:</source>
        <translation>Tệp chứng thư:</translation>
    </message>
    <message>
        <source>Password of the certificate file</source>
        <translation>Mật khẩu của tệp chứng thư</translation>
    </message>
    <message>
        <source>File password:</source>
        <translation>Mật khẩu tệp:</translation>
    </message>
    <message>
        <source>CA certificate of the gateway (optional)</source>
        <translation>Chứng thư CA của cổng (không bắt buộc)</translation>
    </message>
    <message>
        <source>&amp;CA file (optional):</source>
        <translation>Tệp C&amp;A (không bắt buộc):</translation>
    </message>
    <message>
        <source>C&amp;onnect and remember</source>
        <translation>&amp;Kết nối và ghi nhớ</translation>
    </message>
    <message>
        <source>trial password</source>
        <translation>mật khẩu dùng thử</translation>
    </message>
    <message>
        <source>the token&apos;s certificate</source>
        <translation>chứng thư số trên token</translation>
    </message>
    <message>
        <source>Now: {url}, unit {unit}, login by {how}.</source>
        <translation>Hiện tại: {url}, đơn vị {unit}, đăng nhập bằng {how}.</translation>
    </message>
    <message>
        <source>Registration for electronic filing</source>
        <translation>Đăng ký giao dịch điện tử</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>Hỗ trợ</translation>
    </message>
    <message>
        <source>&amp;Diagnostics report…</source>
        <translation>&amp;Báo cáo chẩn đoán…</translation>
    </message>
    <message>
        <source>Versions, data folder, tokens, gateway and printers, ready to paste into a support ticket.</source>
        <translation>Phiên bản, thư mục dữ liệu, token, cổng tiếp nhận và máy in, sẵn để dán vào yêu cầu hỗ trợ.</translation>
    </message>
    <message>
        <source>The program will open {path} the next time it starts.</source>
        <translation>Lần khởi động sau chương trình sẽ mở {path}.</translation>
    </message>
    <message>
        <source>Backup passphrase</source>
        <translation>Cụm mật khẩu sao lưu</translation>
    </message>
    <message>
        <source>Passphrase (at least 8 characters):</source>
        <translation>Cụm mật khẩu (ít nhất 8 ký tự):</translation>
    </message>
    <message>
        <source>The same passphrase again:</source>
        <translation>Nhập lại cụm mật khẩu:</translation>
    </message>
    <message>
        <source>The two passphrases differ; nothing was written.</source>
        <translation>Hai cụm mật khẩu không giống nhau; chưa ghi gì.</translation>
    </message>
    <message>
        <source>Back up to</source>
        <translation>Sao lưu vào</translation>
    </message>
    <message>
        <source>Backups (*.ibhxh)</source>
        <translation>Bản sao lưu (*.ibhxh)</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>Đang sao lưu…</translation>
    </message>
    <message>
        <source>Backed up {workers} workers to {out}.</source>
        <translation>Đã sao lưu {workers} người lao động vào {out}.</translation>
    </message>
    <message>
        <source>Restore from</source>
        <translation>Khôi phục từ</translation>
    </message>
    <message>
        <source>Restoring…</source>
        <translation>Đang khôi phục…</translation>
    </message>
    <message>
        <source>Restored {workers} workers; the previous data is kept at {kept}. Close the program and open it again to work on the restored data.</source>
        <translation>Đã khôi phục {workers} người lao động; dữ liệu cũ được giữ ở {kept}. Hãy đóng chương trình và mở lại để làm việc với dữ liệu vừa khôi phục.</translation>
    </message>
    <message>
        <source>Token module</source>
        <translation>Thư viện token</translation>
    </message>
    <message>
        <source>PKCS#11 libraries (*.dll *.so *.dylib);;All files (*)</source>
        <translation>Thư viện PKCS#11 (*.dll *.so *.dylib);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Looking for tokens…</source>
        <translation>Đang tìm token…</translation>
    </message>
    <message>
        <source>Token {label} (serial {serial}). {pin}</source>
        <translation>Token {label} (số sê-ri {serial}). {pin}</translation>
    </message>
    <message>
        <source>{subject}: {days} days to expiry</source>
        <translation>{subject}: còn {days} ngày hiệu lực</translation>
    </message>
    <message>
        <source>no token plugged in</source>
        <translation>chưa cắm token</translation>
    </message>
    <message>
        <source>This copy has no sandbox gateway.</source>
        <translation>Bản cài đặt này không có cổng thử nghiệm.</translation>
    </message>
    <message>
        <source>The sandbox gateway is starting; the data folder is connected to it.</source>
        <translation>Cổng thử nghiệm đang khởi động; dữ liệu được kết nối với cổng này.</translation>
    </message>
    <message>
        <source>This copy cannot send yet.</source>
        <translation>Bản cài đặt này chưa gửi được hồ sơ.</translation>
    </message>
    <message>
        <source>Connected to the sandbox gateway.</source>
        <translation>Đã kết nối với cổng thử nghiệm.</translation>
    </message>
    <message>
        <source>Set up the company first.</source>
        <translation>Hãy khai báo thông tin đơn vị trước.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Đang kết nối…</translation>
    </message>
    <message>
        <source>Connected: {name}.</source>
        <translation>Đã kết nối: {name}.</translation>
    </message>
    <message>
        <source>Certificates (*.p12 *.pfx)</source>
        <translation>Chứng thư số (*.p12 *.pfx)</translation>
    </message>
    <message>
        <source>Choose the certificate file first.</source>
        <translation>Hãy chọn tệp chứng thư trước.</translation>
    </message>
    <message>
        <source>Waiting for the PIN…</source>
        <translation>Đang chờ nhập mã PIN…</translation>
    </message>
    <message>
        <source>Diagnostics report</source>
        <translation>Báo cáo chẩn đoán</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Sao chép</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>Choose the unit</source>
        <translation>Chọn đơn vị</translation>
    </message>
    <message>
        <source>This data holds several units. The unit to work on (it can be changed in the status bar):</source>
        <translation>Dữ liệu này có nhiều đơn vị. Đơn vị làm việc (có thể đổi ở thanh trạng thái):</translation>
    </message>
    <message>
        <source>The data cannot be opened</source>
        <translation>Không mở được dữ liệu</translation>
    </message>
</context>
<context>
    <name>ToSignBox</name>
    <message>
        <source>To sign</source>
        <translation>Chờ ký</translation>
    </message>
    <message>
        <source>Dossiers waiting for the signer</source>
        <translation>Hồ sơ chờ người ký</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>Số</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Kỳ kê khai</translation>
    </message>
    <message>
        <source>Prepared by</source>
        <translation>Người lập</translation>
    </message>
    <message>
        <source>Validated at</source>
        <translation>Kiểm tra xong lúc</translation>
    </message>
    <message>
        <source>Double click a dossier to sign and send it.</source>
        <translation>Bấm đúp vào một hồ sơ để ký và gửi.</translation>
    </message>
</context>
<context>
    <name>TrackingModel</name>
    <message>
        <source>No.</source>
        <translation>Số</translation>
    </message>
    <message>
        <source>Procedure</source>
        <translation>Thủ tục</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Kỳ kê khai</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>Số dòng</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Dossier number</source>
        <translation>Số hồ sơ</translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation>Cổng tiếp nhận</translation>
    </message>
</context>
<context>
    <name>TrackingScreen</name>
    <message>
        <source>Tracking</source>
        <translation>Theo dõi</translation>
    </message>
    <message>
        <source>&amp;Ask the gateway now</source>
        <translation>&amp;Hỏi cổng ngay</translation>
    </message>
    <message>
        <source>&amp;Resend…</source>
        <translation>&amp;Gửi lại…</translation>
    </message>
    <message>
        <source>Re&amp;print on paper…</source>
        <translation>&amp;In lại hồ sơ giấy…</translation>
    </message>
    <message>
        <source>&amp;Open the declaration</source>
        <translation>&amp;Mở hồ sơ kê khai</translation>
    </message>
    <message>
        <source>Dossiers and their state</source>
        <translation>Các hồ sơ và trạng thái</translation>
    </message>
    <message>
        <source>Receipt, result and history</source>
        <translation>Phiếu giao nhận, kết quả và lịch sử</translation>
    </message>
    <message>
        <source>&lt;p&gt;No dossier yet.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Chưa có hồ sơ nào.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Dossier {id}</source>
        <translation>Hồ sơ {id}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Receipt&lt;/b&gt;: dossier number &lt;b&gt;{number}&lt;/b&gt;, received {when}, agency {agency}; forms {forms}</source>
        <translation>&lt;b&gt;Phiếu giao nhận&lt;/b&gt;: số hồ sơ &lt;b&gt;{number}&lt;/b&gt;, tiếp nhận lúc {when}, cơ quan BHXH {agency}; các mẫu {forms}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Result&lt;/b&gt;: {state} ({when})</source>
        <translation>&lt;b&gt;Kết quả&lt;/b&gt;: {state} ({when})</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Thời điểm</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Chi tiết</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Lịch sử</translation>
    </message>
    <message>
        <source>No gateway set up (Settings).</source>
        <translation>Chưa cài đặt cổng tiếp nhận (Cài đặt).</translation>
    </message>
    <message>
        <source>Asking the gateway…</source>
        <translation>Đang hỏi cổng tiếp nhận…</translation>
    </message>
    <message>
        <source>Accepted {a}, rejected {r}, waiting {w}, failed {f}.</source>
        <translation>Được chấp nhận {a}, bị từ chối {r}, đang chờ {w}, lỗi {f}.</translation>
    </message>
</context>
<context>
    <name>UnitSwitcher</name>
    <message>
        <source>&amp;Unit ({count}):</source>
        <translation>Đơn &amp;vị ({count}):</translation>
    </message>
    <message>
        <source>Unit: {unit}</source>
        <translation>Đơn vị: {unit}</translation>
    </message>
    <message>
        <source>No unit set up yet</source>
        <translation>Chưa có đơn vị nào</translation>
    </message>
    <message>
        <source>Unit to work on</source>
        <translation>Đơn vị làm việc</translation>
    </message>
    <message>
        <source>All units…</source>
        <translation>Tất cả đơn vị…</translation>
    </message>
    <message>
        <source>Each unit&apos;s filing this month, and a search for a person in every unit</source>
        <translation>Tình hình nộp hồ sơ tháng này của từng đơn vị, và tìm một người trong mọi đơn vị</translation>
    </message>
</context>
<context>
    <name>Units</name>
    <message>
        <source>Unit code</source>
        <translation>Mã đơn vị</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên đơn vị</translation>
    </message>
    <message>
        <source>Workers</source>
        <translation>Người lao động</translation>
    </message>
    <message>
        <source>Dossiers</source>
        <translation>Hồ sơ</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Tháng này</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>BHXH number</source>
        <translation>Mã số BHXH</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>Ngày sinh</translation>
    </message>
</context>
<context>
    <name>UnitsDialog</name>
    <message>
        <source>All units</source>
        <translation>Tất cả đơn vị</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Các đơn vị</translation>
    </message>
    <message>
        <source>A double click on a unit works on it.</source>
        <translation>Nhấp đúp vào một đơn vị để làm việc với đơn vị đó.</translation>
    </message>
    <message>
        <source>A name, or a full BHXH / CCCD number</source>
        <translation>Họ tên, hoặc số BHXH / CCCD đầy đủ</translation>
    </message>
    <message>
        <source>Search a person in every unit</source>
        <translation>Tìm một người trong mọi đơn vị</translation>
    </message>
    <message>
        <source>&amp;Person:</source>
        <translation>&amp;Người:</translation>
    </message>
    <message>
        <source>&amp;Search every unit</source>
        <translation>&amp;Tìm trong mọi đơn vị</translation>
    </message>
    <message>
        <source>People found</source>
        <translation>Những người tìm thấy</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Searching every unit…</source>
        <translation>Đang tìm trong mọi đơn vị…</translation>
    </message>
    <message>
        <source>The first {count} people found: type more of the name to narrow the list.</source>
        <translation>{count} người tìm thấy đầu tiên: gõ thêm họ tên để thu hẹp danh sách.</translation>
    </message>
    <message>
        <source>{count} people found in {units} unit(s). A double click works on that unit and opens the person.</source>
        <translation>Tìm thấy {count} người ở {units} đơn vị. Nhấp đúp để làm việc với đơn vị đó và mở người này.</translation>
    </message>
    <message>
        <source>Nobody found in any unit.</source>
        <translation>Không tìm thấy ai trong các đơn vị.</translation>
    </message>
</context>
<context>
    <name>WorkerEditor</name>
    <message>
        <source>&amp;Add worker</source>
        <translation>&amp;Thêm người lao động</translation>
    </message>
    <message>
        <source>Clear form</source>
        <translation>Xóa trắng</translation>
    </message>
    <message>
        <source>New worker</source>
        <translation>Người lao động mới</translation>
    </message>
    <message>
        <source>Fill in the fields, then press Add worker (Enter). What you type is kept even if the program closes.</source>
        <translation>Điền các ô rồi nhấn Thêm người lao động (Enter). Những gì đã nhập vẫn được giữ kể cả khi chương trình bị tắt.</translation>
    </message>
    <message>
        <source>Changes are saved when you leave a field.</source>
        <translation>Thay đổi được lưu khi rời khỏi ô.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Đã lưu.</translation>
    </message>
    <message>
        <source>{name} was added.</source>
        <translation>Đã thêm {name}.</translation>
    </message>
    <message>
        <source>{name} was saved.</source>
        <translation>Đã lưu {name}.</translation>
    </message>
    <message>
        <source>Not saved yet: fix the fields marked in red. What you typed is kept.</source>
        <translation>Chưa lưu: hãy sửa các ô tô đỏ. Những gì đã nhập vẫn được giữ lại.</translation>
    </message>
</context>
<context>
    <name>WorkerPicker</name>
    <message>
        <source>Add workers to the declaration</source>
        <translation>Thêm người lao động vào hồ sơ</translation>
    </message>
    <message>
        <source>Type part of a name (no accents needed) or a full BHXH/CCCD number; select one or more workers (Ctrl or Shift + click, or Shift + arrows) and press Add.</source>
        <translation>Gõ một phần họ tên (không cần dấu) hoặc đủ mã số BHXH/số CCCD; chọn một hay nhiều người (Ctrl hoặc Shift + nhấp chuột, hoặc Shift + phím mũi tên) rồi nhấn Thêm.</translation>
    </message>
    <message>
        <source>Search workers</source>
        <translation>Tìm người lao động</translation>
    </message>
    <message>
        <source>Workers</source>
        <translation>Người lao động</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>WorkerTableModel</name>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Social insurance no.</source>
        <translation>Mã số BHXH</translation>
    </message>
    <message>
        <source>Citizen ID</source>
        <translation>Số CCCD</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Ngày sinh</translation>
    </message>
    <message>
        <source>Gender</source>
        <translation>Giới tính</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Chức vụ</translation>
    </message>
    <message>
        <source>Salary (VND)</source>
        <translation>Mức lương (đồng)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>Nam</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Nữ</translation>
    </message>
</context>
<context>
    <name>WorkersScreen</name>
    <message>
        <source>Old ID card (CMND, 9 digits)</source>
        <translation>Số CMND cũ (9 chữ số)</translation>
    </message>
    <message>
        <source>Workers</source>
        <translation>Người lao động</translation>
    </message>
    <message>
        <source>Search: a name (no accents needed), or a full BHXH / CCCD number  (Ctrl+F)</source>
        <translation>Tìm: họ tên (không cần dấu) hoặc đủ mã số BHXH / số CCCD  (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search workers</source>
        <translation>Tìm người lao động</translation>
    </message>
    <message>
        <source>&amp;New worker</source>
        <translation>Thêm &amp;mới</translation>
    </message>
    <message>
        <source>&amp;Import from a spreadsheet…</source>
        <translation>&amp;Nhập từ bảng tính…</translation>
    </message>
    <message>
        <source>Worker list</source>
        <translation>Danh sách người lao động</translation>
    </message>
    <message>
        <source>Loading workers…</source>
        <translation>Đang tải danh sách…</translation>
    </message>
    <message>
        <source>{count} workers</source>
        <translation>{count} người lao động</translation>
    </message>
    <message>
        <source>{shown} of {count} workers</source>
        <translation>{shown} / {count} người lao động</translation>
    </message>
    <message>
        <source>Import workers</source>
        <translation>Nhập người lao động</translation>
    </message>
    <message>
        <source>Imported: {added} added, {updated} updated.</source>
        <translation>Đã nhập: thêm {added}, cập nhật {updated}.</translation>
    </message>
</context>
</TS>
