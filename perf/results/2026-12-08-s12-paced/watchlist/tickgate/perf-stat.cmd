/usr/bin/perf stat -I 100 -x , --log-fd 1 -e syscalls:sys_enter_write,syscalls:sys_enter_writev,syscalls:sys_enter_sendto,syscalls:sys_enter_sendmsg -p 24888
