// TypeScript shapes of the ROS 2 messages dx_perception uses, with ROS field names, so one value
// goes unchanged to rclnodejs, to the CDR codec and to the bag writer. One import for all of
// them; each family lives in its own file:
// - common_types.ts: builtin_interfaces, std_msgs, geometry_msgs (and the primitive array types);
// - sensor_types.ts: tf2_msgs, rosgraph_msgs, sensor_msgs, stereo_msgs;
// - published_types.ts: vision_msgs, visualization_msgs, diagnostic_msgs;
// - package_types.ts: dx_perception's own messages (msg/*.msg).
export type * from './common_types';
export * from './sensor_types';
export * from './published_types';
export * from './package_types';
